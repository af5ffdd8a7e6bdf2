/** The services' documented contract on the fake (issue 9): remote names per flavour, options read once, duplicate paths. */
import { AuthScheme, AuthTarget, BackgroundCopyManager } from '../../../src';
import { connectFake, localPath } from '../../support/fake-env';

async function withJob(flavour: 'bits' | 'delivery-optimization', fn: (job: Awaited<ReturnType<BackgroundCopyManager['createJob']>>, fake: Awaited<ReturnType<typeof connectFake>>['fake']) => Promise<void>): Promise<void> {
  const { fake, manager } = await connectFake({ flavour });
  const job = await manager.createJob('contract');
  try {
    await fn(job, fake);
  } finally {
    await job.cancel().catch(() => undefined);
    job.dispose();
    manager.dispose();
  }
}

describe('remote names: what BG_FILE_INFO documents for BITS is accepted (issue 9 #3)', () => {
  const BITS_NAMES = [
    'Z:\\dir\\src.txt',
    'C:/dir/src.txt',
    '\\\\server\\share\\dir\\src.txt',
    'file://Z:\\dir\\src.txt',
    'file:///C:/dir/src.txt',
    'file://server/share/src.txt',
    'https://example.com/a.bin',
  ];

  test.each(BITS_NAMES)('BITS takes %s (before: "uses the scheme z" for drive paths and file:// refused)', async (remote) => {
    await withJob('bits', async (job, fake) => {
      await job.addFile(remote, localPath('remote-name.bin'));
      expect(fake.jobs()[0].files.map((f) => f.remoteName)).toEqual([remote]);
    });
  });

  test.each(BITS_NAMES.slice(0, 6))('Delivery Optimization refuses %s with a message naming the service', async (remote) => {
    await withJob('delivery-optimization', async (job) => {
      const error = await job.addFile(remote, localPath('x.bin')).catch((e: unknown) => e as Error & { code?: string });
      expect(error).toBeInstanceOf(TypeError);
      expect((error as { code?: string }).code).toBe('ERR_INVALID_ARG_VALUE');
      expect((error as Error).message).toContain('Delivery Optimization downloads only http:// and https://');
    });
  });

  test('a drive letter is never read as a URL scheme in the message', async () => {
    await withJob('delivery-optimization', async (job) => {
      const error = (await job.addFile('Z:\\dir\\src.txt', localPath('x.bin')).catch((e: unknown) => e)) as Error;
      expect(error.message).not.toMatch(/scheme z/i);
    });
  });
});

describe('options are read once (issue 9 #7)', () => {
  test('setCredentials: a password getter is read once; the value checked is the value sent', async () => {
    await withJob('bits', async (job, fake) => {
      let reads = 0;
      const credentials = {
        target: AuthTarget.Server,
        scheme: AuthScheme.Basic,
        userName: 'user',
        get password() {
          reads++;
          return reads === 1 ? 'checked' : 'bad\0value';
        },
      };
      await job.setCredentials(credentials);
      expect(reads).toBe(1);
      expect(fake.jobs()[0].credentials).toEqual([expect.objectContaining({ password: 'checked' })]);
    });
  });

  test('setProxySettings: each field read once', async () => {
    await withJob('bits', async (job) => {
      const reads: Record<string, number> = {};
      const count = (k: string, v: unknown) => {
        reads[k] = (reads[k] ?? 0) + 1;
        return v;
      };
      const settings = {
        get usage() { return count('usage', 0); },
        get proxyList() { return count('proxyList', null); },
        get bypassList() { return count('bypassList', null); },
      };
      await job.setProxySettings(settings as never).catch(() => undefined);
      expect(reads).toEqual({ usage: 1, proxyList: 1, bypassList: 1 });
    });
  });
});

describe('two files with one local path in one job are refused (issue 9 #7: one file\'s data was lost)', () => {
  test('addFile with a path the job already has (another call) → ERR_INVALID_ARG_VALUE, nothing added', async () => {
    await withJob('bits', async (job, fake) => {
      const local = localPath('twice.bin');
      await job.addFile('http://example.test/a', local);
      const error = (await job.addFile('http://example.test/b', local).catch((e: unknown) => e)) as Error & { code?: string };
      expect(error).toBeInstanceOf(TypeError);
      expect(error.code).toBe('ERR_INVALID_ARG_VALUE');
      expect(error.message).toContain('one of the two files would be lost');
      expect(fake.jobs()[0].files).toHaveLength(1);
    });
  });
});
