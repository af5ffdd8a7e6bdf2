/**
 * docs/cli.md documents every command and every option `--help` lists: the commander program is walked
 * (the one main.ts runs), and each option's flags (`-o`, `--output`) must appear in its command's section
 * (the `### <command> …` heading up to the next `###` or `##`) or in a section whose heading names the
 * command in backticks (`#### Job settings (\`download\` and \`set\`)`).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Command, Option } from 'commander';
import { createContext } from '../../../src/cli/context';
import { buildProgram } from '../../../src/cli/program';
import { buffer } from './helpers';

const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/cli.md'), 'utf8');

interface Section { readonly heading: string; readonly level: number; readonly text: string }

function sections(markdown: string): Section[] {
  const lines = markdown.split('\n');
  const found: Section[] = [];
  lines.forEach((line, i) => {
    const m = /^(#{2,4}) (.*)$/.exec(line);
    if (!m) return;
    const level = m[1].length;
    let end = i + 1;
    while (end < lines.length && !(/^#{2,4} /.test(lines[end]) && /^#+/.exec(lines[end])![0].length <= level)) end++;
    found.push({ heading: m[2], level, text: lines.slice(i, end).join('\n') });
  });
  return found;
}

const all = sections(doc);
const program = buildProgram(createContext({ stdout: buffer(), stderr: buffer() }), '0.0.0', () => undefined);

/** What docs/cli.md says about `name`: its `### \`name …\`` section(s) and sections naming it in backticks. */
function textFor(name: string): string {
  const own = all.filter((s) => s.level === 3 && new RegExp(`^\`(?:[\\w-]+ \\| )*${name}\\b`).test(s.heading));
  const named = all.filter((s) => s.heading.includes(`\`${name}\``));
  return [...own, ...named].map((s) => s.text).join('\n');
}

/** Options as `--help` lists them: commander's own `-h, --help` left out. */
const listed = (command: Command): readonly Option[] => command.options.filter((o) => o.long !== '--help');

/** `-o` and `--output` of `-o, --output <dest>`; `--no-complete` as written. */
const flagsOf = (o: Option): string[] => [o.short, o.long].filter((f): f is string => f !== undefined);

const commands = program.commands.map((c) => [c.name(), c] as const);

test('the program has the commands docs/cli.md is checked against', () => {
  expect(commands.map(([name]) => name)).toEqual(expect.arrayContaining(['download', 'set', 'list', 'show', 'resume', 'cancel', 'watch', 'explain', 'doctor']));
});

test.each(commands)('docs/cli.md has a section for `%s`', (name) => {
  expect(textFor(name)).not.toBe('');
});

test.each(commands)('docs/cli.md documents every option of `%s`', (name, command) => {
  const text = textFor(name);
  const missing = listed(command).flatMap(flagsOf).filter((flag) => !new RegExp(`(^|[^\\w-])${flag}(?![\\w-])`).test(text));
  expect(missing).toEqual([]);
});

test('docs/cli.md documents the program-wide options', () => {
  const missing = listed(program).flatMap(flagsOf).filter((flag) => !doc.includes(flag));
  expect(missing).toEqual([]);
});
