/**
 * The stream sink's own calls while bytes flow (issue 25, item 4): a status callback during the
 * transfer is not a reason to read the status again; only a callback that may be the end is.
 */
import { DOManager } from '../../../src';
import { sinkStats } from '../../../src/diagnostics';
import { createFakeService } from '../../../src/testing';

const URL = 'http://ido.test/stream-calls.bin';

test.each(['native-thread', 'main-thread'] as const)('16 chunks (Write and OnStatusChange from the %s): 16 Writes, and GetStatus only to confirm the end', async (callbackThread) => {
  const bytes = 16 << 20; // the fake writes 1 MiB at a time
  const fake = createFakeService({ flavour: 'ido', callbackThread, script: { [URL]: { kind: 'succeed', bytes, durationMs: 0 } } });
  const manager = await DOManager.connect({ service: fake });
  const download = await manager.createDownload({ uri: URL });
  // A long poll: the end must be found through the callbacks, not the timer.
  const readable = await download.stream({ pollIntervalMs: 60_000 });
  let received = 0;
  readable.on('data', (chunk: Buffer) => {
    received += chunk.length;
  });
  const ended = new Promise((resolve, reject) => readable.on('end', resolve).on('error', reject));
  const before = fake.stats().calls.get('IDODownload::GetStatus') ?? 0;
  await download.start([{ offset: 0n, length: null }]);
  await ended;
  expect(received).toBe(bytes);
  expect(sinkStats(readable)?.writes).toBe(16);
  expect(fake.idoDownloads()[0].statusCalls).toBeGreaterThanOrEqual(16); // a callback per chunk reached us
  const reads = (fake.stats().calls.get('IDODownload::GetStatus') ?? 0) - before;
  expect(reads).toBeGreaterThanOrEqual(1);
  expect(reads).toBeLessThanOrEqual(2);
  await download.finalize();
  await download.close();
  await manager.close();
  await fake.settle();
}, 60_000);
