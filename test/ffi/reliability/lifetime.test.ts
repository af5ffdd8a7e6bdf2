import { execFileSync } from 'child_process';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { ObjectDisposedError } from '../../../src';
import { ComPtr, safetyNetStats, settleReleases } from '../../../src/com';
import { IBackgroundCopyManager } from '../../../src/bits';
import { connectFake } from '../../support/fake-env';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

async function collectGarbage(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  await settleReleases();
}

test('dispose while a call is in flight: the call settles, nothing leaks, later calls are refused', async () => {
  const { manager } = await connectFake({ flavour: 'bits' });
  const job = await manager.createJob('in flight');
  const pending = job.getState();
  job.dispose();
  await expect(pending).resolves.toBeDefined(); // it already had its pointer
  await expect(job.getProgress()).rejects.toBeInstanceOf(ObjectDisposedError);
  manager.dispose();
});

test('the FinalizationRegistry safety net releases pointers nobody disposed', async () => {
  const { fake } = await connectFake({ flavour: 'bits' });
  const before = safetyNetStats.released;
  const owned = await Promise.all(Array.from({ length: 5 }, () => fake.runtime.createInstance(fake.clsid, IBackgroundCopyManager.iid)));
  (() => {
    // Wrappers dropped on the floor, never disposed.
    for (const { ptr } of owned) ComPtr.own(ptr as bigint, IBackgroundCopyManager, fake.runtime);
  })();
  await collectGarbage();
  expect(safetyNetStats.released - before).toBeGreaterThanOrEqual(5);
});

test('the safety net never releases after COM teardown', async () => {
  const { fake } = await connectFake({ flavour: 'bits' });
  fake.expectUnbalanced(); // the torn-down runtime must keep its references
  const skippedBefore = safetyNetStats.skippedAfterTeardown;
  const { ptr } = await fake.runtime.createInstance(fake.clsid, IBackgroundCopyManager.iid);
  (() => {
    ComPtr.own(ptr as bigint, IBackgroundCopyManager, fake.runtime);
  })();
  Object.defineProperty(fake.runtime, 'tornDown', { value: true, configurable: true });
  await collectGarbage();
  expect(safetyNetStats.skippedAfterTeardown).toBeGreaterThan(skippedBefore);
});

test('process exit with live jobs and registered callbacks: no crash', () => {
  const root = path.resolve(__dirname, '../../..');
  const script = `
    const { BackgroundCopyManager } = require('./src');
    const { createFakeService } = require('./src/testing');
    (async () => {
      const fake = createFakeService({ flavour: 'bits', defaultBehaviour: { kind: 'hang' } });
      const m = await BackgroundCopyManager.connect({ service: fake });
      for (let i = 0; i < 5; i++) {
        const j = await m.createJob('exit ' + i);
        j.on('transferred', () => {});
        j.on('error', () => {});
        await j.notificationsReady();
        await j.addFile('http://example.test/' + i, '/tmp/exit-' + i + '.bin');
        await j.resume();
      }
      setTimeout(() => process.exit(0), 30);
    })();
  `;
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: root,
    env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') },
    encoding: 'utf8',
    stdio: 'pipe',
  });
  expect(out).toBe('');
});

test('dispose() during an extension QueryInterface: that reference is released, the call never reaches the service (issue 15, item 8)', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const job = await manager.createJob('dispose during QueryInterface');
  const call = job.setCustomHeaders('X-A: 1');
  job.dispose();
  await expect(call).rejects.toBeInstanceOf(ObjectDisposedError);
  await manager.close();
  await fake.settle();
  expect(fake.calledMethods().has('IBackgroundCopyJobHttpOptions::SetCustomHeaders')).toBe(false);
  // No reference left to the FinalizationRegistry: the fake is balanced now.
  fake.assertBalanced();
});
