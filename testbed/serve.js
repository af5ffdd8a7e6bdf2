'use strict';
/**
 * A static file server on 127.0.0.1 and a free port, for `testbed run --serve <dir>`: Wine's BITS
 * reaches it over the shared loopback. GET and HEAD (BITS sends HEAD first), Content-Length, one
 * byte range per request (206 / 416). Nothing outside `dir` is served.
 */
const fs = require('fs');
const http = require('http');
const path = require('path');

/** @returns {Promise<{ url: string, port: number, close: () => Promise<void>, requests: object[] }>} */
function serveDir(dir) {
  const root = path.resolve(dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    return Promise.reject(new Error(`--serve ${dir}: no such folder`));
  }
  const requests = [];
  const server = http.createServer((req, res) => {
    const entry = { method: req.method, url: req.url, status: 0 };
    requests.push(entry);
    const send = (status, headers = {}, body) => {
      entry.status = status;
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { Allow: 'GET, HEAD' });
    let rel;
    try { rel = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { return send(400); }
    const file = path.join(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) return send(403);
    let st;
    try { st = fs.statSync(file); } catch { return send(404, { 'Content-Type': 'text/plain' }, 'not found\n'); }
    if (!st.isFile()) return send(404, { 'Content-Type': 'text/plain' }, 'not found\n');
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range || '');
    let start = 0;
    let end = st.size - 1;
    let status = 200;
    if (range && (range[1] || range[2])) {
      start = range[1] ? Number(range[1]) : Math.max(0, st.size - Number(range[2]));
      end = range[1] && range[2] ? Math.min(Number(range[2]), st.size - 1) : st.size - 1;
      if (start > end || start >= st.size) return send(416, { 'Content-Range': `bytes */${st.size}` });
      status = 206;
    }
    const headers = {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(end - start + 1),
      'Accept-Ranges': 'bytes',
      'Last-Modified': st.mtime.toUTCString(),
      ...(status === 206 ? { 'Content-Range': `bytes ${start}-${end}/${st.size}` } : {}),
    };
    entry.status = status;
    res.writeHead(status, headers);
    if (req.method === 'HEAD' || st.size === 0) return res.end();
    fs.createReadStream(file, { start, end }).pipe(res);
  });
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        port,
        url: `http://127.0.0.1:${port}/`,
        requests,
        close: () => new Promise((done) => {
          for (const s of sockets) s.destroy();
          server.close(() => done());
        }),
      });
    });
  });
}

module.exports = { serveDir };
