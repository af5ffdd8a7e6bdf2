/**
 * docs/cli.md maps every PowerShell BitsTransfer parameter and bitsadmin switch to the CLI (issue 21,
 * item 8). Every command and option its CLI column names (`set --header`, `monitor`, `--help`) must exist
 * in the commander program main.ts runs; a row that offers nothing says why. Names that the other
 * branches of issue 21 add are listed in PENDING until they are merged (the lead empties it then).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { createContext } from '../../../src/cli/context';
import { buildProgram } from '../../../src/cli/program';
import { buffer } from './helpers';

/** Names planned by other branches before they were merged (empty once every branch has landed). */
const PENDING = new Set<string>([]);

const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/cli.md'), 'utf8');
const program = buildProgram(createContext({ stdout: buffer(), stderr: buffer() }), '0.0.0', () => undefined);

const start = doc.indexOf('## PowerShell BitsTransfer and bitsadmin, mapped to this CLI');
const section = doc.slice(start, doc.indexOf('\n## ', start + 1));
/** [what, cli, status] of every table row (header and rule rows left out). */
const rows = section.split('\n').filter((l) => /^\| `/.test(l)).map((l) => l.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim()));

const longs = (c: Command): string[] => [...c.options.map((o) => o.long ?? ''), '--help'];

/** What is wrong with one `command --option` span of the CLI column, or null. */
function problem(span: string): string | null {
  if (PENDING.has(span)) return null;
  const words = span.split(/\s+/).filter((w) => !/^<.*>$/.test(w));
  if (words[0].startsWith('--')) {
    // A program-wide option, or one every command has (`--json`).
    return longs(program).includes(words[0]) || program.commands.some((c) => longs(c).includes(words[0])) ? null : `${span}: no such option`;
  }
  const command = program.commands.find((c) => c.name() === words[0]);
  if (!command) return `${span}: no command ${words[0]}`;
  const missing = words.slice(1).filter((w) => w.startsWith('-') && !PENDING.has(`${words[0]} ${w}`) && !longs(command).includes(w) && command.options.every((o) => o.short !== w));
  return missing.length ? `${span}: ${words[0]} has no ${missing.join(', ')}` : null;
}

test('the table is there, with the PowerShell parameters and every bitsadmin switch family', () => {
  expect(rows.length).toBeGreaterThan(150);
  const names = rows.map(([what]) => what);
  for (const needed of ['Start-BitsTransfer -Asynchronous', 'Add-BitsFile', 'Complete-BitsTransfer', '/monitor', '/util /version', '/takeownership', '/peers /list', '/cache /clear']) {
    expect(names.some((n) => n.includes(needed))).toBe(true);
  }
});

test('every row names CLI commands or options, or says why it is not offered', () => {
  const bad = rows.filter(([, cli, status]) => (cli === '—' ? !/^not offered: .{10,}/.test(status) : !/`[^`]+`/.test(cli)));
  expect(bad).toEqual([]);
});

test('every command and option the table names exists in the program (or is PENDING from a parallel branch)', () => {
  const spans = rows.flatMap(([, cli]) => [...cli.matchAll(/`([^`]+)`/g)].map((m) => m[1]));
  expect(spans.map(problem).filter((p) => p !== null)).toEqual([]);
});

test('PENDING holds only names that do not exist yet (the lead empties it as branches merge)', () => {
  const existing = [...PENDING].filter((name) => {
    const [cmd, option] = name.split(' ');
    const command = program.commands.find((c) => c.name() === cmd);
    return command !== undefined && (option === undefined || longs(command).includes(option));
  });
  expect(existing).toEqual([]);
});

test('rows marked planned name only PENDING things; rows marked yes name only existing ones', () => {
  for (const [what, cli, status] of rows) {
    const spans = [...cli.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    if (/^yes/.test(status) && !/planned/.test(status)) expect([what, spans.filter((s) => PENDING.has(s))]).toEqual([what, []]);
  }
});

test('bitsadmin\'s helper-token switches map to set / show options that exist (issue 22)', () => {
  const mapped = Object.fromEntries(rows.filter(([what]) => /^`\/(set|get)helpertoken/.test(what)).map(([what, cli]) => [what, cli]));
  expect(mapped).toEqual({
    '`/sethelpertoken`': '`set --helper-token`',
    '`/sethelpertokenflags`': '`set --helper-token-flags`',
    '`/gethelpertokenflags`': '`show --verbose`',
    '`/gethelpertokensid`': '`show --verbose`',
  });
  const set = program.commands.find((c) => c.name() === 'set') as Command;
  for (const option of ['--helper-token', '--no-helper-token', '--helper-token-flags']) expect(longs(set)).toContain(option);
});
