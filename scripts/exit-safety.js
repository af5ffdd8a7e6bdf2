#!/usr/bin/env node
'use strict';
/**
 * The exit-safety matrix (docs/reliability.md, "Exit safety"): every operation that can be in
 * flight × every way a program ends (process.exit(), an uncaught exception, an unhandled
 * rejection) × the service healthy, killed or frozen, on the fake (this node) and on Wine's BITS
 * (Windows node.exe, scripts/testbed.js). Each cell is the time from the program's end request to
 * the process's end (the goal is ≤ 1 s; "HUNG" = still alive after 10 s, killed by the watchdog).
 *
 *   node scripts/exit-safety.js [--only fake|wine] [--reuse wine=<rows.jsonl>] [--write]
 *
 * --write replaces the table between the exit-safety markers in docs/reliability.md. Do not run
 * it while other Wine tests use this worktree's prefix: the Wine half kills and freezes BITS.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const write = process.argv.includes('--write');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'exit-safety-'));

function runTier(tier) {
  const out = path.join(tmp, `${tier}.jsonl`);
  const started = Date.now();
  const r = tier === 'fake'
    ? spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/exit-safety-run.ts', 'fake', out], { cwd: root, stdio: 'inherit' })
    : spawnSync(process.execPath, ['scripts/testbed.js', 'run', 'scripts/exit-safety-run.ts', 'bits', `Z:${out.replace(/\//g, '\\')}`], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`the ${tier} run failed (exit ${r.status})`);
  const rows = fs.readFileSync(out, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  console.log(`${tier}: ${rows.length} scenarios in ${Math.round((Date.now() - started) / 1000)} s`);
  return rows.map((row) => ({ ...row, tier }));
}

function cell(row) {
  if (!row) return '–';
  if (row.ms === null) return 'did not start';
  if (row.hung) return '**HUNG**';
  return `${row.ms} ms${row.ms > 1000 ? ' **(> 1 s)**' : ''}`;
}

function table(rows) {
  const columns = [];
  for (const tier of ['fake', 'wine']) for (const condition of ['healthy', 'killed', 'frozen']) columns.push({ tier, condition });
  const keys = [...new Set(rows.map((r) => `${r.operation} / ${r.ending}`))];
  const find = (key, c) => rows.find((r) => `${r.operation} / ${r.ending}` === key && r.tier === c.tier && r.condition === c.condition);
  const lines = [
    `| in flight / how the program ends | ${columns.map((c) => `${c.tier === 'wine' ? 'Wine' : 'fake'}, ${c.condition}`).join(' | ')} |`,
    `|---|${columns.map(() => '---:').join('|')}|`,
    ...keys.map((key) => `| ${key} | ${columns.map((c) => cell(find(key, c))).join(' | ')} |`),
  ];
  const measured = rows.filter((r) => r.ms !== null && !r.hung);
  const worst = measured.reduce((m, r) => Math.max(m, r.ms), 0);
  const bad = rows.filter((r) => r.ms === null || r.hung || r.ms > 1000).length;
  return { text: lines.join('\n'), worst, bad, total: rows.length };
}

/** `--reuse wine=<file.jsonl>`: rows of an earlier run of one tier (its exit-safety-run.ts output). */
const reuse = {};
process.argv.forEach((arg, i) => {
  if (arg === '--reuse') {
    const [tier, file] = process.argv[i + 1].split('=');
    reuse[tier] = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => ({ ...JSON.parse(line), tier }));
  }
});

const rows = [];
for (const tier of ['fake', 'wine']) {
  if (only && only !== tier) continue;
  rows.push(...(reuse[tier] ?? runTier(tier)));
}
const t = table(rows);
const stamp = `Produced by \`node scripts/exit-safety.js --write\` on ${new Date().toISOString().slice(0, 10)} (${os.cpus().length} cores, node ${process.version} for the fake, Windows node 22 under Wine 8 for BITS): ${t.total} scenarios, slowest ${t.worst} ms, ${t.bad} over 1 s or hung.`;
console.log(`${t.text}\n\n${stamp}`);
if (write) {
  const doc = path.join(root, 'docs', 'reliability.md');
  const text = fs.readFileSync(doc, 'utf8');
  const begin = '<!-- exit-safety:begin -->';
  const end = '<!-- exit-safety:end -->';
  if (!text.includes(begin) || !text.includes(end)) throw new Error(`docs/reliability.md has no ${begin} … ${end} markers`);
  fs.writeFileSync(doc, `${text.slice(0, text.indexOf(begin) + begin.length)}\n${t.text}\n\n${stamp}\n${text.slice(text.indexOf(end))}`);
  console.log('docs/reliability.md updated');
}
fs.rmSync(tmp, { recursive: true, force: true });
process.exitCode = t.bad === 0 ? 0 : 1;
