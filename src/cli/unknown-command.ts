/**
 * A command line whose command is not one of the program's: a usage error (exit 2) whatever
 * follows it. Commander alone shows the main help and exits 0 for `nosuch --help` or `help nosuch`,
 * so a script could not tell a missing command from a present one.
 */
import type { Command } from 'commander';

/**
 * The word of `argv` that should name a command and names none, or null. The program's own
 * options take no value, so the first word that is not an option is the command (`help <name>`:
 * the name after it).
 */
export function unknownCommandOf(program: Command, argv: readonly string[]): string | null {
  const end = argv.indexOf('--');
  const words = (end === -1 ? argv : argv.slice(0, end)).filter((a) => !a.startsWith('-'));
  const first = words[0];
  if (first === undefined) return null;
  const known = new Set(program.commands.flatMap((c) => [c.name(), ...c.aliases()]));
  if (first === 'help') return words[1] !== undefined && !known.has(words[1]) ? words[1] : null;
  return known.has(first) ? null : first;
}

/** "Commands: a, b, c": the visible commands, for the line after the error. */
export function commandList(program: Command): string {
  const names = program.createHelp().visibleCommands(program).map((c) => c.name());
  return `Commands: ${names.join(', ')}`;
}
