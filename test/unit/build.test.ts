import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { lazyEntry } = require('../../scripts/build/lazy-entry');

const root = path.resolve(__dirname, '../..');

test('the build emits CommonJS with type declarations for every public entry point', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'do-build-'));
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', out], { cwd: root, stdio: 'pipe' });
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    for (const entry of ['.', './testing', './diagnostics'] as const) {
      const target = pkg.exports[entry];
      for (const file of [target.default, target.types]) {
        const built = path.join(out, path.relative('dist', file));
        expect(fs.existsSync(built)).toBe(true);
      }
    }
    expect(pkg.main).toBe('dist/index.js');
    expect(pkg.types).toBe('dist/index.d.ts');
    expect(fs.readFileSync(path.join(out, 'api', 'manager.d.ts'), 'utf8')).toContain('static connect(options?: ConnectOptions): Promise<BackgroundCopyManager>;');
    expect(fs.existsSync(path.join(out, 'cli', 'main.js'))).toBe(true);
    const eager = require(path.join(out, 'index.js'));
    expect(typeof eager.BackgroundCopyManager.connect).toBe('function');
    // The published entry is tsc's, rewritten lazily (npm run build): the same names and values.
    const names = Object.keys(eager).sort();
    for (const key of Object.keys(require.cache)) if (key.startsWith(out)) delete require.cache[key];
    lazyEntry(out);
    const script = `const lib = require(${JSON.stringify(path.join(out, 'index.js'))});
      const loaded = Object.keys(require.cache).length;
      console.log(JSON.stringify({ loaded, names: Object.keys(lib).sort(), connect: typeof lib.BackgroundCopyManager.connect, error: lib.JobState.Error }));`;
    const lazy = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    expect(lazy).toEqual({ loaded: 1, names, connect: 'function', error: 4 });
    const esm = path.join(out, 'esm-check.mjs');
    fs.writeFileSync(esm, `import { BackgroundCopyManager, JobState } from ${JSON.stringify(pathToFileURL(path.join(out, 'index.js')).href)};\nconsole.log(typeof BackgroundCopyManager.connect, JobState.Error);\n`);
    expect(execFileSync(process.execPath, [esm], { encoding: 'utf8' }).trim()).toBe('function 4');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}, 60_000);
