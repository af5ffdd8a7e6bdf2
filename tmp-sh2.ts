import * as fs from 'fs';
import { spawnSync } from 'child_process';
const base = `/tmp/do-service-faults-x`;
const windows = (unix: string) => `Z:${unix.replace(/\//g, '\\')}`;
fs.writeFileSync(windows(`${base}.sh`), `(echo hi; for p in $(pgrep -f svchost.exe); do echo $p; grep -c qmgr /proc/$p/maps; tr "\\0" "\\n" < /proc/$p/environ | grep WINEPREFIX; done) > ${base}.txt 2>&1\n`);
const r = spawnSync('start.exe', ['/wait', '/unix', '/bin/sh', `${base}.sh`], { timeout: 20_000 });
fs.writeFileSync('Z:\\tmp\\i15\\r2.txt', String(r.status) + ' ' + String(r.error) + ' ' + (fs.existsSync(windows(`${base}.txt`)) ? fs.readFileSync(windows(`${base}.txt`), 'utf8') : 'NOFILE'));
