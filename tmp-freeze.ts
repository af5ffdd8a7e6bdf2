import { BackgroundCopyManager } from './src';
import { freezeBits, thawBits } from './test/wine/service-faults';
import * as fs from 'fs';
(async () => {
  const log: unknown[] = [];
  const m = await BackgroundCopyManager.connect({ service: 'bits', callTimeoutMs: 2000 });
  const j = await m.createJob('freeze probe');
  log.push(['frozen', freezeBits()]);
  const t = Date.now();
  await j.getState().then((s) => log.push(['state', s]), (e) => log.push(['err', String(e), Date.now() - t]));
  log.push(['thaw', thawBits()]);
  await j.cancel(); j.dispose(); m.dispose();
  fs.writeFileSync(process.argv[2], JSON.stringify(log));
})().catch((e) => fs.writeFileSync(process.argv[2], String(e.stack)));
