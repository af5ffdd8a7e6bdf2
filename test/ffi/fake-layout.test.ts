/**
 * The fake reads what it receives with its own layout code (src/testing/objects/layout.ts), not the
 * library's koffi types: arguments built here byte by byte from the ABI reference's offsets
 * (test/abi/abi-reference.json, the Windows compilers' answer) are understood by the fake.
 */
import { IBackgroundCopyJob, IBackgroundCopyJob2, IBackgroundCopyJob5, IBackgroundCopyManager } from '../../src/bits';
import { $, ComPtr, defineInterface, IUnknown, koffi, pointerSize } from '../../src/com';
import { createFakeService } from '../../src/testing';
import reference from '../abi/abi-reference.json';

const arch = pointerSize() === 8 ? 'x64' : 'ia32';
function layout(name: string): { size: number; offsets: Record<string, number> } {
  const row = reference.structs.find((s) => s.name === name) as unknown as Record<string, { size: number; offsets: Record<string, number> }>;
  return row[arch];
}

/** A native NUL-terminated UTF-16 copy of `text`, kept alive by `keep`. */
function wide(text: string, keep: unknown[]): bigint {
  const buf = Buffer.from(`${text}\0`, 'utf16le');
  keep.push(buf);
  return koffi().address(buf) as unknown as bigint;
}

function writePointer(b: Buffer, offset: number, value: bigint): void {
  if (pointerSize() === 8) b.writeBigUInt64LE(value, offset);
  else b.writeUInt32LE(Number(value), offset);
}

async function job2() {
  const fake = createFakeService();
  const { ptr } = await fake.runtime.createInstance(fake.clsid, IBackgroundCopyManager.iid);
  const manager = ComPtr.own(ptr as bigint, IBackgroundCopyManager, fake.runtime);
  const [, jobPtr] = await manager.invoke('CreateJob', 'layout', 0);
  const job = ComPtr.own(jobPtr as bigint, IBackgroundCopyJob5, fake.runtime);
  return { fake, manager, job, done: async () => { await job.release(); await manager.release(); } };
}

test('BG_AUTH_CREDENTIALS built from the reference layout reaches the fake intact', async () => {
  const { fake, job, done } = await job2();
  const l = layout('BG_AUTH_CREDENTIALS');
  const keep: unknown[] = [];
  const b = Buffer.alloc(l.size);
  b.writeUInt32LE(2, l.offsets.Target); // PROXY
  b.writeUInt32LE(4, l.offsets.Scheme); // NEGOTIATE
  writePointer(b, l.offsets['Credentials.Basic.UserName'], wide('someone', keep));
  writePointer(b, l.offsets['Credentials.Basic.Password'], wide('s3cret', keep));
  const asJob2 = job as unknown as ComPtr<typeof IBackgroundCopyJob2>;
  // The raw pointer form: the table's parameter is a pointer, and the fake reads the bytes itself.
  const { hr } = await asJob2.invokeRaw('SetCredentials', b as never);
  expect(hr).toBe(0);
  expect(fake.jobs()[0].credentials).toEqual([{ target: 2, scheme: 4, userName: 'someone', password: 's3cret' }]);
  await done();
});

test('a BG_FILE_INFO array built from the reference layout reaches the fake intact', async () => {
  const { fake, job, done } = await job2();
  const l = layout('BG_FILE_INFO');
  const keep: unknown[] = [];
  const b = Buffer.alloc(2 * l.size);
  for (const [i, name] of ['a', 'b'].entries()) {
    writePointer(b, i * l.size + l.offsets.RemoteName, wide(`http://layout.test/${name}`, keep));
    writePointer(b, i * l.size + l.offsets.LocalName, wide(`/dl/${name}.bin`, keep));
  }
  // The table's AddFileSet takes a JS array; slot 3 seen as (count, raw pointer) sends our own bytes.
  const raw = defineInterface('IBackgroundCopyJob', IBackgroundCopyJob.iid, IUnknown, { AddFileSet: [$.u32, $.ptr] });
  expect((await ComPtr.borrow(job.ptr, raw, fake.runtime).invokeRaw('AddFileSet', 2, b)).hr).toBe(0);
  expect(fake.jobs()[0].files.map((f) => [f.remoteName, f.localName])).toEqual([
    ['http://layout.test/a', '/dl/a.bin'],
    ['http://layout.test/b', '/dl/b.bin'],
  ]);
  await done();
});

test('BITS_JOB_PROPERTY_VALUE by value: the fake reads its own 16 bytes (a UINT64 at offset 0)', async () => {
  const { job, done } = await job2();
  const l = layout('BITS_JOB_PROPERTY_VALUE');
  expect(l.size).toBe(16);
  expect(l.offsets.Uint64).toBe(0);
  const MAX_DOWNLOAD_SIZE = 5;
  expect((await job.invokeRaw('SetProperty', MAX_DOWNLOAD_SIZE, { Uint64: 0x0102030405n })).hr).toBe(0);
  const raw = await job.invoke('GetProperty', MAX_DOWNLOAD_SIZE);
  expect((raw as Buffer).readBigUInt64LE(l.offsets.Uint64)).toBe(0x0102030405n);
  await done();
});
