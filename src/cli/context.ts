/**
 * Everything a command touches from the outside world, injectable so that commands run
 * in-process in tests (`run(argv, { connect, stdout, stderr, env })`).
 */
import type { Connect } from './service';
import type { ServiceProvider } from '../api/service';
import type { RegisteredNotificationServer } from '../api/notification-registration';
import { probeEnvironment, wineVersion, type EnvironmentInfo } from './environment';
import { terminalPrompter, type Prompter } from './prompt';
import { redact } from '../secrets';
import { callerApartment } from '../api/platform';
import { CARRIAGE_RETURN_REDRAW, carriageReturnRedraw } from './wine-console';

/** The part of a stream the CLI writes to (process.stdout, or a test buffer). */
export interface CliStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
  /** A terminal's height (`monitor` fits one screen). */
  readonly rows?: number;
}

export interface CliDeps {
  readonly connect?: Connect;
  /** For `download --api` / `-o -`: one service provider (the testing fake) instead of the real services. */
  readonly service?: ServiceProvider;
  readonly stdout?: CliStream;
  readonly stderr?: CliStream;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C: downloads cancel their job, watch stops. */
  readonly signal?: AbortSignal;
  /** Base for relative destination paths (default process.cwd()). */
  readonly cwd?: string;
  /** Poll period while following a job (default 250 ms). */
  readonly pollIntervalMs?: number;
  /** Waits before retrying a transient activation failure (default 500 and 1500 ms). */
  readonly retryDelaysMs?: readonly number[];
  /** Facts for `doctor` (platform, koffi, Wine, apartment). */
  readonly probe?: () => Promise<EnvironmentInfo>;
  /** `doctor`: the notification servers registered for this user (null where there is no registry). */
  readonly notificationServers?: () => readonly RegisteredNotificationServer[] | null;
  /** Apartment of this process once COM is initialised (doctor); null when not known. */
  readonly apartment?: () => string | null;
  /** Password prompt and confirmations (default: the terminal, when stdin and stderr are one). */
  readonly prompter?: Prompter;
  /** Whether the progress bar can redraw in place on this stream (default: see `canRedraw`). */
  readonly canRedraw?: (stream: CliStream) => boolean;
}

export interface CliContext {
  readonly connect: Connect;
  readonly service?: ServiceProvider;
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
  readonly cwd: string;
  readonly pollIntervalMs: number;
  readonly retryDelaysMs: readonly number[];
  readonly probe: () => Promise<EnvironmentInfo>;
  readonly notificationServers: () => readonly RegisteredNotificationServer[] | null;
  readonly apartment: () => string | null;
  readonly prompter: Prompter;
  readonly canRedraw: (stream: CliStream) => boolean;
  /** Set by the running command when it prints JSON, so failures are printed as JSON too. */
  json: boolean;
  /** The command's name, for JSON documents and messages. */
  command: string;
  /** The service the command talks to ('BITS', 'Delivery Optimization'), once it connected; for messages. */
  serviceName: string | null;
}

function defaultNotificationServers(): readonly RegisteredNotificationServer[] | null {
  if (process.platform !== 'win32') return null;
  // Loaded here only: the registry binding is not part of the CLI's start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../api/notification-registration') as typeof import('../api/notification-registration')).listNotificationServers();
}

function defaultApartment(): string | null {
  return callerApartment();
}

/**
 * `stream`, with every string written through `redact` (src/secrets.ts): whatever a command
 * prints (URLs, service messages, JSON, errors) shows no credential. Everything else (isTTY,
 * columns, the cursor calls of the progress bar) is the stream's own.
 */
function redacting(stream: CliStream): CliStream {
  return new Proxy(stream, {
    get(target, key) {
      if (key === 'write') return (chunk: unknown, ...rest: unknown[]) => (target.write as (...a: unknown[]) => unknown)(typeof chunk === 'string' ? redact(chunk) : chunk, ...rest);
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * A bar redraws in place only on a terminal that understands cursor movement: not TERM=dumb, and
 * not Wine's console (its conhost garbles cursor codes), unless the stream redraws with carriage
 * returns only (`wine-console.ts`: the CLI's stderr on Wine's console).
 */
export function canRedraw(stream: CliStream, env: Readonly<Record<string, string | undefined>>): boolean {
  if (stream.isTTY !== true || env.TERM === 'dumb') return false;
  return process.platform !== 'win32' || wineVersion() === null || (stream as { [CARRIAGE_RETURN_REDRAW]?: boolean })[CARRIAGE_RETURN_REDRAW] === true;
}

/** process.stderr, made to redraw the progress bar with carriage returns when it is Wine's console. */
function defaultStderr(): CliStream {
  const onWineConsole = process.stderr.isTTY && process.platform === 'win32' && wineVersion() !== null;
  return onWineConsole ? carriageReturnRedraw(process.stderr) : process.stderr;
}

export function createContext(deps: CliDeps): CliContext {
  return {
    // The service layer (the whole API) loads when a command connects, not for `explain`.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    connect: deps.connect ?? ((service) => (require('./service') as typeof import('./service')).defaultConnect(service)),
    service: deps.service,
    stdout: redacting(deps.stdout ?? process.stdout),
    stderr: redacting(deps.stderr ?? defaultStderr()),
    env: deps.env ?? process.env,
    signal: deps.signal ?? new AbortController().signal,
    cwd: deps.cwd ?? process.cwd(),
    pollIntervalMs: deps.pollIntervalMs ?? 250,
    retryDelaysMs: deps.retryDelaysMs ?? [500, 1500],
    probe: deps.probe ?? probeEnvironment,
    notificationServers: deps.notificationServers ?? defaultNotificationServers,
    apartment: deps.apartment ?? defaultApartment,
    prompter: deps.prompter ?? terminalPrompter,
    canRedraw: deps.canRedraw ?? ((stream) => canRedraw(stream, deps.env ?? process.env)),
    json: false,
    command: '',
    serviceName: null,
  };
}

/** Writes one line. */
export function println(stream: CliStream, line = ''): void {
  stream.write(`${line}\n`);
}
