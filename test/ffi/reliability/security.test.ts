import * as fs from 'fs';
import * as path from 'path';
import { inspect } from 'util';
import { AuthScheme, AuthTarget, ProxyUsage } from '../../../src';
import { connectFake } from '../../support/fake-env';

const SECRET = 'hunter2-Pa55w0rd!';

test('credentials never appear in errors, inspect output or JSON', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits', failures: { 'IBackgroundCopyJob2::SetCredentials': 0x80070057 } });
  const job = await manager.createJob('secrets');
  const failure = await job.setCredentials({ target: AuthTarget.Server, scheme: AuthScheme.Basic, userName: 'alice', password: SECRET }).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(Error);
  const badPassword = await job.setCredentials({ target: AuthTarget.Server, scheme: AuthScheme.Basic, userName: 'alice', password: `${SECRET}\0` }).catch((e: unknown) => e);
  expect(badPassword).toBeInstanceOf(TypeError);
  for (const text of [
    String(failure), (failure as Error).stack ?? '', inspect(failure, { depth: 5 }), JSON.stringify(failure),
    String(badPassword), (badPassword as Error).stack ?? '', inspect(badPassword, { depth: 5 }),
    inspect(job, { depth: 5, showHidden: true }), inspect(manager, { depth: 5, showHidden: true }),
  ]) {
    expect(text).not.toContain(SECRET);
  }
  expect(fake.jobs()[0].credentials).toEqual([]);
  await job.cancel();
  job.dispose();
  manager.dispose();
});

test('the service does receive the credentials (so the checks above are not vacuous)', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const job = await manager.createJob('secrets reach the service');
  await job.setCredentials({ target: AuthTarget.Proxy, scheme: AuthScheme.Basic, userName: 'bob', password: SECRET });
  expect(fake.jobs()[0].credentials.some((c) => c.password === SECRET)).toBe(true);
  expect(inspect(job, { depth: 5, showHidden: true })).not.toContain(SECRET);
  await job.cancel();
  job.dispose();
  manager.dispose();
});

test('proxy lists with credentials in them are not echoed in validation errors of other fields', async () => {
  const { manager } = await connectFake({ flavour: 'bits' });
  const job = await manager.createJob('proxy');
  const error = await job.setProxySettings({ usage: 42 as ProxyUsage, proxyList: `http://user:${SECRET}@proxy:8080`, bypassList: null }).catch((e: unknown) => e);
  expect(String(error)).not.toContain(SECRET);
  await job.cancel();
  job.dispose();
  manager.dispose();
});

test('the library never shells out', () => {
  const root = path.resolve(__dirname, '../../../src');
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ts$/.test(entry.name) && /child_process|\bexecSync\b|\bspawn\(/.test(fs.readFileSync(full, 'utf8'))) offenders.push(path.relative(root, full));
    }
  };
  walk(root);
  expect(offenders).toEqual([]);
});
