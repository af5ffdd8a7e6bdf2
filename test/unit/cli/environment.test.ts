/** doctor's facts without native code (issue 20): koffi that does not load, and Wine told from Windows by a file. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const RAW = 'Cannot find the native Koffi module; did you install it correctly?';

test('a koffi that cannot load its native build: probeEnvironment names the package (with koffi\'s version) instead of failing', async () => {
  let probe!: typeof import('../../../src/cli/environment');
  jest.isolateModules(() => {
    jest.doMock('koffi', () => {
      throw new Error(`${RAW}\nmore lines`);
    });
    probe = require('../../../src/cli/environment');
  });
  const env = await probe.probeEnvironment();
  const koffiVersion = (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../node_modules/koffi/package.json'), 'utf8')) as { version: string }).version;
  expect(env.koffi).toEqual({ ok: false, version: koffiVersion, error: RAW, nativePackage: `@koromix/koffi-${process.platform}-${process.arch}@${koffiVersion}` });
  expect(new probe.KoffiNotLoadedError(env.koffi)).toMatchObject({ name: 'KoffiNotLoadedError', code: 'ERR_KOFFI_NOT_LOADED', nativePackage: env.koffi.nativePackage });
  jest.dontMock('koffi');
});

describe('Wine is told from Windows by its ntdll.dll, with no koffi', () => {
  const { hasWineNtdll } = require('../../../src/cli/environment') as typeof import('../../../src/cli/environment');
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'do-sysroot-'));
    fs.mkdirSync(path.join(root, 'system32'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function ntdll(stub: string): void {
    const b = Buffer.alloc(0x100);
    b.write('MZ', 0, 'latin1');
    b.write(stub, 0x40, 'latin1');
    fs.writeFileSync(path.join(root, 'system32', 'ntdll.dll'), b);
  }

  test("Wine's builtin signature at 0x40: Wine", () => {
    ntdll('Wine builtin DLL');
    expect(hasWineNtdll(root)).toBe(true);
  });

  test("Windows' DOS stub: not Wine", () => {
    ntdll('\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21This program cannot be run in DOS mode.');
    expect(hasWineNtdll(root)).toBe(false);
  });

  test('no ntdll.dll, or no SystemRoot: not Wine', () => {
    expect(hasWineNtdll(root)).toBe(false);
    expect(hasWineNtdll('')).toBe(false); // (undefined would mean: this process's SystemRoot)
  });
});
