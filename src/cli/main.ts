/**
 * Entry point: parse → run → exit code. `run()` is the in-process API (tests inject the manager,
 * streams and signal); `main()` wires it to the real process, including Ctrl-C.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { CommanderError } from 'commander';
import { releasesSettled } from '../api/platform';
import { createContext, println, type CliContext, type CliDeps } from './context';
import { ExitCode } from './exit-codes';
import { envelope, writeJson } from './json';
import { commandList, unknownCommandOf } from './unknown-command';

export type { CliDeps, CliStream } from './context';
export { ExitCode, EXIT_CODE_TABLE, exitCodeFor } from './exit-codes';

/** package.json's version: ../../package.json from both src/cli and dist/cli. */
function packageVersion(): string {
  try {
    const pj = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pj.version === 'string' ? pj.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Commander already printed its one-line message; add the JSON document in --json mode. */
function commanderExit(ctx: CliContext, error: CommanderError, argv: readonly string[]): number {
  // --help and --version end with exit code 0; a bare command name (implicit help) is a usage error.
  if (error.exitCode === 0 && error.code !== 'commander.help') return ExitCode.ok;
  if (argv.includes('--json')) {
    const message = error.message.replace(/^error: /, '');
    writeJson(ctx.stdout, {
      ...envelope(ctx.command || argv.find((a) => !a.startsWith('-')) || '', false),
      error: { name: 'UsageError', code: error.code, message, exitCode: ExitCode.usage, hresult: null, hex: null, jobId: null, state: null, jobError: null },
    });
  }
  return ExitCode.usage;
}

/** Runs one command line (without the node and script arguments) and returns its exit code. */
export async function run(argv: readonly string[], deps: CliDeps = {}): Promise<number> {
  const ctx = createContext(deps);
  try {
    const plain = plainExplain(argv);
    if (plain) {
      ctx.command = 'explain';
      ctx.json = plain.json;
      return lazy.explain().explainCommand(ctx, plain.code, { json: plain.json });
    }
    return await parseAndRun(ctx, argv);
  } catch (error) {
    return lazy.report().reportError(ctx, error);
  } finally {
    await releasesDone(RELEASE_WAIT_MS);
  }
}

async function parseAndRun(ctx: CliContext, argv: readonly string[]): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = lazy.program().buildProgram(ctx, packageVersion(), (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return ExitCode.usage;
  }
  const unknown = unknownCommandOf(program, argv);
  try {
    // An unknown command: commander's own error for it alone (with "Did you mean …?"), whatever options follow.
    await program.parseAsync(unknown === null ? [...argv] : [unknown], { from: 'user' });
  } catch (error) {
    if (unknown !== null) println(ctx.stderr, commandList(program));
    if (error instanceof lazy.commander().CommanderError) return commanderExit(ctx, error, argv);
    throw error;
  }
  return exitCode;
}

/**
 * `explain <code> [--json]` as scripts run it, recognised without commander: commander is about a
 * third of `explain`'s start-up (bench:startup). Any other shape (--help, a code that starts with
 * '-', a second argument, a typo) goes through commander, which owns usage and its errors; the
 * command that runs is the same (test/unit/cli/explain-shortcut.test.ts compares the two paths).
 */
export function plainExplain(argv: readonly string[]): { code: string; json: boolean } | null {
  if (argv[0] !== 'explain') return null;
  const rest = argv.slice(1);
  const codes = rest.filter((a) => a !== '--json');
  if (codes.length !== 1 || codes[0].startsWith('-') || rest.length - codes.length > 1) return null;
  return { code: codes[0], json: rest.length === 2 };
}

/* eslint-disable @typescript-eslint/no-require-imports */
/** Loaded when needed: `explain` needs neither commander nor the error report of a failed command. */
const lazy = {
  commander: () => require('commander') as typeof import('commander'),
  program: () => require('./program') as typeof import('./program'),
  report: () => require('./report') as typeof import('./report'),
  explain: () => require('./commands/explain') as typeof import('./commands/explain'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

const RELEASE_WAIT_MS = 2000;

/**
 * dispose() queues each Release off the main thread. Wait for them before returning, so that the
 * process never exits still holding job references: the service would keep them until COM notices
 * the dead client (Wine's BITS has crashed on jobs in that state).
 */
async function releasesDone(limitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, limitMs);
  });
  await Promise.race([releasesSettled(), limit]);
  clearTimeout(timer);
}

/** Signals that ask the CLI to stop: SIGTERM (kill, service managers) and SIGHUP (terminal closed) too. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The process entry point: Ctrl-C (or SIGTERM, SIGHUP) aborts the command once, so a download
 * cancels its job; a second one exits at once.
 */
export function main(argv: readonly string[] = process.argv.slice(2), deps: Omit<CliDeps, 'signal'> = {}): void {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    const again = signal === 'SIGINT' ? 'Ctrl-C again' : `${signal} again`;
    println(process.stderr, `\nInterrupted (${signal}): stopping (${again} to quit at once)...`);
    controller.abort(new Error(signal));
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  // `... | head` closes the pipe early: stop quietly, as other command-line tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  run(argv, { ...deps, signal: controller.signal }).then(
    (code) => finish(code),
    (error: unknown) => {
      println(process.stderr, `error: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      finish(ExitCode.internal);
    },
  );
  function finish(code: number): void {
    for (const signal of STOP_SIGNALS) process.removeListener(signal, onSignal);
    process.exitCode = code;
    // COM worker threads may keep the event loop alive; exit once both streams have flushed.
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  }
}

if (require.main === module) main();
