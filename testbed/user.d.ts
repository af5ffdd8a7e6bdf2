/** Types of testbed/user.js for the CLI (src/cli/commands/testbed.ts). */
export type TestbedAction = 'setup' | 'status' | 'run' | 'clean';

export interface TestbedOptions {
  /** x64 (default) or ia32 (32-bit node on WoW64). */
  readonly arch?: string;
  /** The Wine prefix to use instead of the project's own. */
  readonly prefix?: string;
  readonly force?: boolean;
  readonly json?: boolean;
  /** `run`: a folder to serve on 127.0.0.1 (TESTBED_SERVE_URL). */
  readonly serve?: string;
  /** `run`: the scratch folder (TESTBED_SCRATCH_DIR); default a temporary one, deleted after the run. */
  readonly scratch?: string;
  /** `run`: watchdog, in seconds. */
  readonly timeout?: string;
  readonly script?: string;
  readonly args?: readonly string[];
  /** `clean`: the whole per-user cache. */
  readonly all?: boolean;
}

export interface TestbedIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Tests pretend another OS. */
  readonly platform?: NodeJS.Platform;
  readonly packageRoot?: string;
}

/** Resolves to the exit code (`run`: the script's). */
export function testbedCommand(action: TestbedAction, options: TestbedOptions, io: TestbedIo): Promise<number>;

/** A bad command line (code ERR_USAGE). */
export class TestbedUsageError extends Error {
  readonly code: 'ERR_USAGE';
}

/** The bed cannot be had here; the message says what is missing and how to fix it. */
export class TestbedUnavailable extends Error {
  readonly code: 'TESTBED_UNAVAILABLE';
}
