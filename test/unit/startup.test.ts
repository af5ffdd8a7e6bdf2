import { execFileSync } from 'child_process';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');

/** Runs a snippet in a fresh Linux node with the TypeScript sources. */
function runFresh(code: string): string {
  return execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', code], {
    cwd: root,
    env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') },
    encoding: 'utf8',
  });
}

describe('importing the package', () => {
  test('loads no native code at all (neither koffi nor any Windows DLL)', () => {
    const out = runFresh(`
      const lib = require('./src');
      const loaded = Object.keys(require.cache).filter((k) => /node_modules[\\/](koffi|@koromix)|\\.node$/.test(k));
      console.log(JSON.stringify({ loaded, hasManager: typeof lib.BackgroundCopyManager.connect }));
    `);
    const result = JSON.parse(out.trim().split('\n').pop() as string);
    expect(result.hasManager).toBe('function');
    expect(result.loaded).toEqual([]);
  });

  test('connect() rejects with PlatformNotSupportedError off Windows, for both services', async () => {
    if (process.platform === 'win32') return; // the Windows path is covered by the wine tier
    const { BackgroundCopyManager, PlatformNotSupportedError } = await import('../../src');
    for (const service of [undefined, 'delivery-optimization', 'bits'] as const) {
      const error = await BackgroundCopyManager.connect(service ? { service } : {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PlatformNotSupportedError);
      expect((error as Error).message).toMatch(/requires Windows/);
      expect((error as { code: string }).code).toBe('ERR_PLATFORM_NOT_SUPPORTED');
    }
  });

  test('explainHResult works on any OS without native code', async () => {
    const { explainHResult } = await import('../../src');
    expect(explainHResult('0x80d03002')).toMatchObject({ code: 'DO_E_NO_DOWNLOAD_EXTSETTINGS', hresult: 0x80d03002 });
  });
});

describe('start-up of the command line (bench:startup measures it)', () => {
  test('`explain` loads neither the COM layer, the API classes, commander nor cli-progress', () => {
    const out = runFresh(`
      const { run } = require('./src/cli/main');
      const sink = { write() {}, isTTY: false };
      run(['explain', '0x80070005'], { stdout: sink, stderr: sink }).then((code) => {
        const loaded = Object.keys(require.cache).map((k) => k.replace(/\\\\/g, '/'));
        const unwanted = loaded.filter((k) => /src\\/com\\/(com-ptr|ole32|implement)|src\\/api\\/(manager|job)\\.|src\\/bits\\/interfaces|node_modules\\/(cli-progress|commander|koffi)\\/|src\\/api\\/wait\\.|src\\/cli\\/(program|report)\\./.test(k));
        console.log(JSON.stringify({ code, unwanted }));
      });
    `);
    const result = JSON.parse(out.trim().split('\n').pop() as string);
    expect(result).toEqual({ code: 0, unwanted: [] });
  });

  test('`explain` never touches process.stdin (creating it costs start-up; only a prompt needs it)', () => {
    const out = runFresh(`
      const stdin = Object.getOwnPropertyDescriptor(process, 'stdin');
      let touched = 0;
      Object.defineProperty(process, 'stdin', { configurable: true, enumerable: stdin.enumerable, get() { touched++; return stdin.get.call(process); } });
      const { run } = require('./src/cli/main');
      const sink = { write() {}, isTTY: false };
      run(['explain', '0x80070005'], { stdout: sink, stderr: sink }).then((code) => console.log(JSON.stringify({ code, touched })));
    `);
    expect(JSON.parse(out.trim().split('\n').pop() as string)).toEqual({ code: 0, touched: 0 });
  });
});
