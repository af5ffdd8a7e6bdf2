/**
 * `download --api ido|bits-style|bits|auto` and `download -o -`: the library's `download()`,
 * which picks the API (IDO → BITS-style DO → BITS with `auto`) and says which it used; `-o -`
 * streams the bytes to stdout (natively on the IDO API, through a temporary file on the others).
 */
import { Writable } from 'stream';
import { download, type AutoDownloadResult, type DownloadApi } from '../../api/auto-download';
import type { DODownloadSettings } from '../../api/ido/manager';
import { println, type CliContext } from '../context';
import { formatBytes } from '../format';
import { envelope, writeJson } from '../json';
import { BIN_NAME } from '../names';
import type { API_CHOICES } from '../args';
import { createProgress, type ProgressMode } from '../progress';
import { UsageError } from '../usage';
import { checkUrl, resolveDestination } from './download';

export type ApiChoice = (typeof API_CHOICES)[number];

const API_NAMES: Record<DownloadApi, string> = {
  ido: "Delivery Optimization's IDO API (IDOManager)",
  'bits-style': "Delivery Optimization's BITS-style API",
  bits: 'BITS',
};

export interface ApiDownloadOptions {
  readonly api: ApiChoice;
  readonly json?: boolean;
  readonly progress?: ProgressMode;
  readonly displayName?: string;
  /** `--api ido`: the download's settings. */
  readonly ido?: DODownloadSettings;
}

export interface ApiDownloadJson {
  readonly url: string;
  /** null when streamed to stdout. */
  readonly localPath: string | null;
  readonly api: DownloadApi;
  readonly unavailable: ReadonlyArray<{ readonly api: DownloadApi; readonly code: string | null }>;
  readonly bytesTransferred: string;
}

/** stdout as a Writable that is never ended (other output may follow), with its backpressure. */
function stdoutWritable(ctx: CliContext): Writable {
  const out = ctx.stdout as unknown as NodeJS.WritableStream & { once?: (e: string, f: () => void) => void };
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const more = out.write(chunk as unknown as string);
      if (more === false && typeof out.once === 'function') out.once('drain', () => done());
      else done();
    },
  });
}

export async function apiDownloadCommand(ctx: CliContext, url: string, dest: string, options: ApiDownloadOptions): Promise<number> {
  checkUrl(url);
  const toStdout = dest === '-';
  if (toStdout && options.json) throw new UsageError('--json and -o - both write to stdout: choose one');
  const localPath = toStdout ? null : resolveDestination(dest, url, ctx.cwd);
  // With the bytes on stdout, everything else goes to stderr (and --json is refused by the parser).
  const mode: ProgressMode = options.progress ?? (options.json ? 'none' : 'auto');
  const reporter = createProgress(mode, ctx.stderr);
  let result: AutoDownloadResult;
  try {
    result = await download(url, localPath ?? stdoutWritable(ctx), {
      api: options.api,
      service: ctx.service,
      signal: ctx.signal,
      pollIntervalMs: ctx.pollIntervalMs,
      displayName: options.displayName ?? `${BIN_NAME}: ${url}`.slice(0, 256),
      ...(options.ido !== undefined ? { ido: options.ido } : {}),
      onFallback: (api, reason) => {
        if (!options.json) println(ctx.stderr, `${API_NAMES[api]} is not available here (${reason.name}); trying the next API.`);
      },
      onProgress: (p) => reporter.update({ state: 'TRANSFERRING', transferred: p.bytesTransferred, total: p.bytesTotal, note: p.api }),
    });
  } finally {
    reporter.stop();
  }
  if (options.json) {
    const doc: ApiDownloadJson = {
      url, localPath, api: result.api,
      unavailable: result.unavailable.map((u) => ({ api: u.api, code: (u.reason as { code?: string }).code ?? null })),
      bytesTransferred: result.bytesTransferred.toString(),
    };
    writeJson(ctx.stdout, { ...envelope('download', true), ...doc });
  } else {
    const where = localPath ?? 'stdout';
    println(toStdout ? ctx.stderr : ctx.stdout, `Downloaded ${formatBytes(result.bytesTransferred)} with ${API_NAMES[result.api]} to ${where}`);
  }
  return 0;
}
