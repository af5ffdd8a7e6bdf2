/**
 * Downloads streamed through the JS IStream into a Node Readable (fake 'ido' flavour): ranges,
 * order, backpressure with a slow consumer, failures; balance checked after each test.
 */
import { createHash } from 'crypto';
import { Writable } from 'stream';
import { pipeline } from 'stream/promises';
import { ComPtr, IStream } from '../../../src/com';
import { DODownloadState, DOManager, DownloadFailedError } from '../../../src';
import { sinkStats } from '../../../src/diagnostics';
import { createFakeService, fakeContent, type FakeServiceOptions } from '../../../src/testing';

/** Deep-equality of large Buffers is slow in Jest: compare digests. */
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const URL = 'http://ido.test/stream.bin';

async function open(options: FakeServiceOptions) {
  const fake = createFakeService({ flavour: 'ido', ...options });
  const manager = await DOManager.connect({ service: fake });
  return { fake, manager };
}

/** Collects a Readable into one Buffer. */
async function collect(readable: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

test.each(['native-thread', 'main-thread'] as const)('ranges (Write and OnStatusChange from the %s): the bytes of each range, in order; the stream ends after TRANSFERRED', async (callbackThread) => {
  const { fake, manager } = await open({ callbackThread, script: { [URL]: { kind: 'succeed', bytes: 100_000, durationMs: 30 } } });
  const download = await manager.createDownload({ uri: URL });
  const readable = await download.stream();
  await download.start([{ offset: 10n, length: 1000n }, { offset: 50_000n, length: null }]);
  const content = fakeContent(URL, 100_000);
  expect(sha256(await collect(readable))).toBe(sha256(Buffer.concat([content.subarray(10, 1010), content.subarray(50_000)])));
  expect((await download.status()).state).toBe(DODownloadState.Transferred);
  const seen = fake.idoDownloads()[0];
  expect(seen.writeCalls).toBeGreaterThanOrEqual(2);
  expect(seen.statusCalls).toBeGreaterThanOrEqual(2);
  await download.finalize();
  await download.close();
  await manager.close();
});

test('streaming needs ranges: start() without them is refused by the service, typed', async () => {
  const { manager } = await open({});
  const download = await manager.createDownload({ uri: URL });
  const readable = await download.stream();
  readable.on('error', () => undefined);
  await expect(download.start()).rejects.toMatchObject({ code: 'DO_E_DOWNLOAD_RANGES_EXPECTED' });
  readable.destroy();
  await download.close();
  await manager.close();
});

test('a failure mid-stream errors the stream with DownloadFailedError; nothing is silently dropped', async () => {
  const failing = 'http://ido.test/fails';
  const { manager } = await open({ script: { [failing]: { kind: 'fail', hresult: 0x80190194, afterMs: 5 } } });
  const download = await manager.createDownload({ uri: failing });
  const readable = await download.stream({ pollIntervalMs: 5 });
  await download.start([{ offset: 0n, length: null }]);
  const error = await collect(readable).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DownloadFailedError);
  expect((error as DownloadFailedError).jobError?.code).toBe('BG_E_HTTP_ERROR_404');
  await download.close();
  await manager.close();
});

test('a seek that would move the position errors the stream (bytes out of order)', async () => {
  const { fake, manager } = await open({ script: { [URL]: { kind: 'hang' } } });
  const download = await manager.createDownload({ uri: URL });
  const readable = await download.stream();
  await download.start([{ offset: 0n, length: null }]);
  // Play the service: call the sink the fake holds, through its vtable.
  const errored = new Promise<unknown>((resolve) => readable.on('error', resolve));
  const held = fake.idoDownloads().find((d) => d.id === download.id)?.stream;
  expect(typeof held).toBe('bigint');
  const stream = ComPtr.borrow(held as bigint, IStream, fake.runtime);
  expect((await stream.invokeRaw('Seek', 0n, 1)).hr).toBe(0); // where it is: fine
  expect((await stream.invokeRaw('Seek', 5n, 0)).hr).toBe(0x80030001); // elsewhere: STG_E_INVALIDFUNCTION
  expect(String(await errored)).toMatch(/out of order/);
  for (const method of ['SetSize', 'Commit', 'Revert', 'Clone'] as const) {
    const args = method === 'SetSize' ? [1n] : method === 'Commit' ? [0] : [];
    expect((await (stream.invokeRaw as (m: string, ...a: unknown[]) => Promise<{ hr: number }>)(method, ...args)).hr).toBe(0x80004001);
  }
  expect((await stream.invokeRaw('Read', Buffer.alloc(4), 4)).hr).toBe(0x80004001);
  expect((await stream.invokeRaw('Stat', 0)).hr).toBe(0x80004001);
  expect((await stream.invokeRaw('CopyTo', null, 1n)).hr).toBe(0x80004001);
  expect((await stream.invokeRaw('LockRegion', 0n, 1n, 0)).hr).toBe(0x80004001);
  expect((await stream.invokeRaw('UnlockRegion', 0n, 1n, 0)).hr).toBe(0x80004001);
  // After the error the sink refuses writes, so the service stops.
  expect((await stream.invokeRaw('Write', Buffer.alloc(4), 4)).hr).toBe(0x8003001d);
  await download.close();
  await manager.close();
});

test('64 MiB streamed with a consumer that stops for 1 s midway: sha256 right, memory bounded', async () => {
  const size = 64 << 20;
  const big = 'http://ido.test/64MiB.bin';
  const { fake, manager } = await open({ script: { [big]: { kind: 'succeed', bytes: size, durationMs: 1500 } } });
  const download = await manager.createDownload({ uri: big });
  const highWaterMark = 4 << 20;
  const readable = await download.stream({ highWaterMark });
  await download.start([{ offset: 0n, length: null }]);
  const hash = createHash('sha256');
  let received = 0;
  let stalled = false;
  const baseline = process.memoryUsage().arrayBuffers;
  let peakArrayBuffers = 0;
  await pipeline(readable, new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      received += chunk.length;
      peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers - baseline);
      if (!stalled && received >= size / 2) {
        stalled = true;
        setTimeout(done, 1000); // the consumer lags for 1 s in the middle
      } else done();
    },
  }));
  expect(received).toBe(size);
  expect(hash.digest('hex')).toBe(createHash('sha256').update(fakeContent(big, size)).digest('hex'));
  const stats = sinkStats(readable)!;
  // The bound: the Readable's highWaterMark plus what the service writes before the pause lands
  // (the fake writes 1 MiB chunks): 4 MiB + 2 MiB.
  const bound = highWaterMark + (2 << 20);
  console.log(`64 MiB stream: maxBuffered ${(stats.maxBuffered / 1048576).toFixed(2)} MiB (bound ${bound / 1048576} MiB), ` +
    `pauses ${stats.pauses}, resumes ${stats.resumes}, writes ${stats.writes}, arrayBuffers peak +${(peakArrayBuffers / 1048576).toFixed(1)} MiB`);
  expect(stats.maxBuffered).toBeLessThanOrEqual(bound);
  expect(stats.pauses).toBeGreaterThanOrEqual(1);
  expect(stats.resumes).toBeGreaterThanOrEqual(1);
  await download.finalize();
  await download.close();
  await manager.close();
  void fake;
}, 60_000);

test('a consumer that goes away aborts the download', async () => {
  const slow = 'http://ido.test/slow-stream';
  const { manager } = await open({ script: { [slow]: { kind: 'succeed', bytes: 1 << 20, durationMs: 500 } } });
  const download = await manager.createDownload({ uri: slow });
  const readable = await download.stream({ highWaterMark: 1024 });
  await download.start([{ offset: 0n, length: null }]);
  await new Promise((resolve) => readable.once('readable', resolve));
  readable.destroy();
  for (let i = 0; i < 200 && (await download.status()).state !== DODownloadState.Aborted; i++) await new Promise((r) => setTimeout(r, 5));
  expect((await download.status()).state).toBe(DODownloadState.Aborted);
  await download.close();
  await manager.close();
});

