/**
 * Smoke test of the Wine test bed (docs/testing.md). Runs inside Windows node.exe, under Wine
 * (`npm run test:wine`) or on real Windows (`npm test` there). Raw koffi on purpose: it checks the
 * test bed, not the library.
 */
import * as crypto from 'crypto';
import * as http from 'http';
import * as koffi from 'koffi';
import { expectedSha256, HttpFixture, startHttpFixture } from '../fixtures/http-server';

const CLSID_BackgroundCopyManager = '4991d34b-80a1-4291-83b6-3328366b9097';
const IID_IBackgroundCopyManager = '5ce34c0d-0dc9-4c1f-897c-daa1b78cee7c';
const CLSCTX_LOCAL_SERVER = 4;
const COINIT_MULTITHREADED = 0;

function guid(s: string): Buffer {
  const p = s.split('-');
  const b = Buffer.alloc(16);
  b.writeUInt32LE(parseInt(p[0], 16), 0);
  b.writeUInt16LE(parseInt(p[1], 16), 4);
  b.writeUInt16LE(parseInt(p[2], 16), 6);
  Buffer.from(p[3] + p[4], 'hex').copy(b, 8);
  return b;
}

/** The architecture scripts/testbed.js started this node.exe for (TESTBED_ARCH); x64 on real Windows unless set. */
const expectedArch = process.env.TESTBED_ARCH || 'x64';
const ptrSize = expectedArch === 'ia32' ? 4 : 8;

const hex = (hr: number): string => '0x' + (hr >>> 0).toString(16).padStart(8, '0');

function get(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe('Wine test bed', () => {
  test(`runs Windows node (${expectedArch})`, () => {
    expect(process.platform).toBe('win32');
    expect(process.arch).toBe(expectedArch);
  });

  test(`koffi loads its win32-${expectedArch} prebuild`, () => {
    expect(typeof koffi.load).toBe('function');
    expect(koffi.sizeof('void *')).toBe(ptrSize);
  });

  describe('COM', () => {
    let ole32: koffi.LibraryHandle;
    let initHr = -1;

    beforeAll(() => {
      ole32 = koffi.load('ole32.dll');
    });

    afterAll(() => {
      if (initHr === 0 || initHr === 1) ole32.func('void __stdcall CoUninitialize()')();
    });

    test('CoInitializeEx(NULL, COINIT_MULTITHREADED) returns S_OK or S_FALSE', () => {
      const CoInitializeEx = ole32.func('int __stdcall CoInitializeEx(void *reserved, uint32_t coinit)');
      initHr = CoInitializeEx(null, COINIT_MULTITHREADED);
      expect([0, 1]).toContain(initHr);
    });

    test('CoCreateInstance(BackgroundCopyManager, CLSCTX_LOCAL_SERVER) gives an IBackgroundCopyManager', () => {
      const CoCreateInstance = ole32.func(
        'int __stdcall CoCreateInstance(void *clsid, void *outer, uint32_t ctx, void *iid, void *ppv)',
      );
      const out = Buffer.alloc(ptrSize);
      const hr: number = CoCreateInstance(guid(CLSID_BackgroundCopyManager), null, CLSCTX_LOCAL_SERVER, guid(IID_IBackgroundCopyManager), out);
      expect(hex(hr)).toBe('0x00000000');
      const mgr = ptrSize === 8 ? out.readBigUInt64LE(0) : BigInt(out.readUInt32LE(0));
      expect(mgr).not.toBe(0n);

      // IUnknown::AddRef and Release are vtable slots 1 and 2 (__stdcall on x86): each answers the new
      // count, so a Release right after an AddRef answers one less (a wrong slot or convention would not).
      const vtbl = koffi.decode(mgr, 'void *') as bigint;
      const countProto = ptrSize === 4 ? koffi.proto('__stdcall', null, 'uint32_t', ['void *']) : koffi.proto('uint32_t', ['void *']);
      const addRef = koffi.decode(vtbl, 1 * ptrSize, 'void *') as bigint;
      const release = koffi.decode(vtbl, 2 * ptrSize, 'void *') as bigint;
      const afterAddRef: number = koffi.call(addRef, countProto, mgr);
      const afterRelease: number = koffi.call(release, countProto, mgr);
      expect(afterAddRef).toBeGreaterThanOrEqual(2);
      expect(afterRelease).toBe(afterAddRef - 1);
      koffi.call(release, countProto, mgr); // the creation reference
    });
  });

  describe('HTTP fixture (in-process, loopback)', () => {
    let srv: HttpFixture;
    beforeAll(async () => {
      srv = await startHttpFixture();
    });
    afterAll(() => srv?.close());

    test('serves /bytes/1024 with the expected sha256', async () => {
      const res = await get(srv.url('/bytes/1024?seed=42'));
      expect(res.status).toBe(200);
      expect(res.headers['content-length']).toBe('1024');
      expect(res.body.length).toBe(1024);
      expect(crypto.createHash('sha256').update(res.body).digest('hex')).toBe(expectedSha256(1024, 42));
      expect(srv.requests).toContainEqual(expect.objectContaining({ method: 'GET', path: '/bytes/1024' }));
    });
  });
});
