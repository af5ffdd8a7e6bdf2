'use strict';
/**
 * `node -r test/support/ts-register-cached.js file.ts`: ts-node's transpile-only, with the output
 * kept on disk by content. The exit-safety matrix starts a fresh process per scenario (each one
 * ends its process); with ts-node every one of them loaded TypeScript and transpiled src/ again
 * (18 s per child on a loaded 2-core machine). Here only the first child pays for it.
 *
 * Type errors are not its business (tsc --noEmit checks them once), as with transpile-only.
 */
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const cache = process.env.TS_REGISTER_CACHE || path.join(os.tmpdir(), `ts-register-cache-${process.getuid?.() ?? 'user'}`);
fs.mkdirSync(cache, { recursive: true });
// Stack traces name the .ts lines (the output carries an inline source map).
process.setSourceMapsEnabled(true);
const tsconfig = fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8');

let compilerOptions;
function transpile(source, filename) {
  // Loaded on a cache miss only: loading TypeScript is most of what a miss costs.
  const ts = require('typescript');
  if (!compilerOptions) {
    const parsed = ts.parseJsonConfigFileContent(ts.parseConfigFileTextToJson('tsconfig.json', tsconfig).config, ts.sys, root);
    compilerOptions = { ...parsed.options, outDir: undefined, rootDir: undefined, sourceMap: false, inlineSourceMap: true, declaration: false, noEmit: false };
  }
  return ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
}

require.extensions['.ts'] = function load(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha256').update(`${tsconfig}\0${filename}\0${source}`).digest('hex');
  const file = path.join(cache, `${key}.js`);
  let js;
  try {
    js = fs.readFileSync(file, 'utf8');
  } catch {
    js = transpile(source, filename);
    // Written aside, then renamed: a process reading the cache never sees half a file.
    const temp = `${file}.${process.pid}`;
    fs.writeFileSync(temp, js);
    try {
      fs.renameSync(temp, file);
    } catch (e) {
      // Windows refuses to replace a file another process has open (EPERM): that one wrote the same text.
      fs.rmSync(temp, { force: true });
      if (!fs.existsSync(file)) throw e;
    }
  }
  module._compile(js, filename);
};
