import { ensureBitsUsable } from './service-control';
import { onWine } from './helpers';

jest.setTimeout(60_000);

// Each file starts with a reachable BITS. A file that kills or stops the service (reliability,
// exit-safety, service faults) may leave Wine's rpcss handing out the dead instance; without this
// every later file would time out on its first connect (seen under load in CI).
if (onWine) {
  beforeAll(async () => {
    const state = await ensureBitsUsable();
    if (state !== 'ok') process.stdout.write(`[wine setup] ${expect.getState().testPath}: ${state}\n`);
  });
}
