const { spawnSync } = require('child_process'); const fs = require('fs');
fs.writeFileSync('Z:\\tmp\\i15\\t.sh', 'echo hi $WINEPREFIX > /tmp/i15/t.txt; pgrep -f svchost >> /tmp/i15/t.txt\n');
const r = spawnSync('start.exe', ['/wait', '/unix', '/bin/sh', '/tmp/i15/t.sh'], { timeout: 20000, encoding: 'utf8' });
fs.writeFileSync('Z:\\tmp\\i15\\r.json', JSON.stringify({ s: r.status, o: r.stdout, e: r.stderr, err: String(r.error) }));
