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
