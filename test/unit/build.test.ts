import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');

test('the build emits CommonJS with type declarations for every public entry point', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'do-build-'));
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', out], { cwd: root, stdio: 'pipe' });
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    for (const entry of ['.', './testing'] as const) {
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
    const lib = require(path.join(out, 'index.js'));
    expect(typeof lib.BackgroundCopyManager.connect).toBe('function');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}, 60_000);
