/** `doctor` reports each working service's capabilities (text and --json), here on a Wine-like fake. */
import { ClassNotRegisteredError } from '../../../src/errors';
import type { Connect } from '../../../src/cli/service';
import { WINE_LIKE_OPTIONS } from '../../../src/testing';
import { cli, fakeFixture, json } from '../../unit/cli/helpers';

const wine = async () => ({
  platform: 'win32', arch: 'x64', osRelease: '10.0.19045', node: 'v22.23.3', wine: '8.0', koffi: { ok: true, version: '3.3.4', error: null },
});

test('doctor: a capabilities section under BITS; doctor --json has it', async () => {
  const f = fakeFixture(WINE_LIKE_OPTIONS);
  try {
    const connect: Connect = async (service) => {
      if (service === 'delivery-optimization') throw new ClassNotRegisteredError(undefined, { service: 'Delivery Optimization' });
      return f.connect(service);
    };
    const r = await cli(['doctor'], { connect, probe: wine, apartment: () => 'main thread: MTA' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^BITS\n {2}OK: activated, 0 job\(s\) visible to you\n {4}bits version +\S+ \(from the highest interface answered\)\n {4}job +Job Job2 Job3 Job4 HttpOptions\n {4}file +File/m);
    expect(r.stdout).toMatch(/^ {4}IDO API +not available$/m);
    const doc = json(await cli(['doctor', '--json'], { connect, probe: wine, apartment: () => null }));
    const services = doc.services as Record<string, { capabilities: Record<string, unknown> | null }>;
    expect(services.bits.capabilities).toMatchObject({ job: { IBackgroundCopyJob4: true, IBackgroundCopyJob5: false, IBackgroundCopyJobHttpOptions2: false }, ido: false });
    expect(services['delivery-optimization'].capabilities).toBeNull();
  } finally {
    await f.done();
  }
});

test('doctor lists the notification servers registered for the user and names each stale one (its script is gone) with how to remove it', async () => {
  const f = fakeFixture(WINE_LIKE_OPTIONS);
  try {
    const servers = [
      { clsid: '0b6c2a8e-1d3f-4c55-9e77-5a1b2c3d4e5f', script: 'C:\\apps\\woken.js', commandLine: '"C:\\node.exe" "C:\\apps\\woken.js"', stale: false },
      { clsid: '7e1f9a20-3b4c-4d5e-8f60-718293a4b5c6', script: 'C:\\gone\\old.js', commandLine: '"C:\\node.exe" "C:\\gone\\old.js"', stale: true },
    ];
    const deps = { connect: f.connect, probe: wine, apartment: () => null, notificationServers: () => servers };
    const r = await cli(['doctor'], deps);
    expect(r.stdout).toMatch(/^notification servers: 2 registered for you, 1 stale\n {2}STALE \{7e1f9a20-3b4c-4d5e-8f60-718293a4b5c6\}: the script C:\\gone\\old\.js no longer exists; .*unregisterNotificationServer\('7e1f9a20-3b4c-4d5e-8f60-718293a4b5c6'\)\nverdict:/m);
    expect(r.stdout).not.toContain('STALE {0b6c2a8e');
    const doc = json(await cli(['doctor', '--json'], deps));
    expect(doc.notificationServers).toEqual(servers);
    const none = await cli(['doctor'], { ...deps, notificationServers: () => [] });
    expect(none.stdout).toMatch(/^notification servers: 0 registered for you\nverdict:/m);
  } finally {
    await f.done();
  }
});
