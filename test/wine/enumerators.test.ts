/**
 * The file enumerator against Wine's BITS: GetCount, Skip and Next answer (job.fileCount(),
 * job.fileAt()); Clone is not implemented there (E_NOTIMPL, asserted with the Wine profile).
 */
import { useWineEnv } from './helpers';

const env = useWineEnv();

test('fileCount() and fileAt(index) on Wine', async () => {
  const job = await env.createJob('enumerator');
  expect(await job.fileCount()).toBe(0);
  expect(await job.fileAt(0)).toBeNull();
  const urls = [env.http.url('/bytes/10?seed=1'), env.http.url('/bytes/10?seed=2'), env.http.url('/bytes/10?seed=3')];
  for (const [i, url] of urls.entries()) await job.addFile(url, env.localPath(`enum-${i}.bin`));
  expect(await job.fileCount()).toBe(3);
  const second = await job.fileAt(1);
  expect(await second?.getRemoteName()).toBe(urls[1]);
  second?.dispose();
  expect(await job.fileAt(3)).toBeNull();
});
