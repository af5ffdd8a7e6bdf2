/**
 * `list`, `show`, `resume | suspend | cancel | complete`, `watch` with `--api ido`: the same commands
 * on Delivery Optimization's own downloads (IDODownload: Start, Pause, Abort, Finalize, GetStatus).
 */
import { DODownloadState } from '../../ido';
import type { DODownloadStatus } from '../../api';
import { DownloadFailedError } from '../../errors';
import { println, type CliContext } from '../context';
import { ExitCode } from '../exit-codes';
import { pause } from '../pause';
import { fields, formatBytes, table } from '../format';
import { envelope, writeJson, writeJsonLine, SCHEMA_VERSION } from '../json';
import { createProgress, type ProgressMode } from '../progress';
import { downloadStateName, idoJson, idoStateText, readAllDownloads, readIdoSnapshot, withDOManager, withDownload, type IdoSnapshot } from '../ido';
import { wildcardRegExp } from '../wildcard';
import type { ControlAction } from './control';

export function idoRow(s: IdoSnapshot): string[] {
  return [s.id, idoStateText(s), `${formatBytes(s.bytesTransferred)} / ${formatBytes(s.bytesTotal)}`, s.displayName ?? '', s.uri ?? s.contentId ?? ''];
}

export async function idoListCommand(ctx: CliContext, options: { json?: boolean; name?: string }): Promise<number> {
  return withDOManager(ctx, async (manager) => {
    let snapshots = await readAllDownloads(manager);
    if (options.name !== undefined) {
      const pattern = wildcardRegExp(options.name);
      snapshots = snapshots.filter((s) => pattern.test(s.displayName ?? ''));
    }
    if (options.json) {
      writeJson(ctx.stdout, { ...envelope('list', true), service: 'ido', allUsers: false, name: options.name ?? null, jobs: snapshots.map(idoJson) });
    } else if (snapshots.length === 0) {
      println(ctx.stdout, `No IDO downloads${options.name !== undefined ? ` named ${JSON.stringify(options.name)}` : ''} (current user).`);
    } else {
      for (const line of table(['ID', 'STATE', 'BYTES', 'NAME', 'URL'], snapshots.map(idoRow))) println(ctx.stdout, line);
    }
    return ExitCode.ok;
  });
}

export function idoShowLines(s: IdoSnapshot): string[] {
  const flag = (b: boolean | null) => (b === null ? null : b ? 'yes' : 'no');
  return [
    `IDO download ${s.id}`,
    ...fields([
      ['name', s.displayName ?? 'not set'],
      ['state', downloadStateName(s.state)],
      ['bytes', `${formatBytes(s.bytesTransferred)} of ${formatBytes(s.bytesTotal)} (${s.bytesTransferred} of ${s.bytesTotal ?? '?'})`],
      ['url', s.uri],
      ['content id', s.contentId],
      ['local', s.localPath ?? (s.uri !== null ? 'not set (a stream)' : null)],
      ['foreground', flag(s.foreground)],
      ['cost policy', s.costPolicy === null ? null : String(s.costPolicy)],
      ['no-progress timeout', s.noProgressTimeoutSeconds === null ? null : `${s.noProgressTimeoutSeconds} s`],
      ['correlation vector', s.correlationVector],
      ['error', s.error ? `${s.error.code} (${s.error.message})` : null],
      [s.error ? 'extended error' : 'waiting on', s.extendedError ? `${s.extendedError.code} (${s.extendedError.message})` : null],
    ]),
  ];
}

export async function idoShowCommand(ctx: CliContext, id: string, options: { json?: boolean }): Promise<number> {
  return withDOManager(ctx, (manager) => withDownload(manager, id, async (download) => {
    const s = await readIdoSnapshot(download);
    if (options.json) writeJson(ctx.stdout, { ...envelope('show', true), service: 'ido', job: idoJson(s) });
    else for (const line of idoShowLines(s)) println(ctx.stdout, line);
    return ExitCode.ok;
  }));
}

/** The actions an IDO download has (no owner to take over: IDO downloads belong to their creator). */
export type IdoControlAction = Exclude<ControlAction, 'take-ownership'>;

/** What each action calls on an IDODownload. */
const IDO_CALL: Record<IdoControlAction, { call: 'start' | 'pause' | 'abort' | 'finalize'; done: string }> = {
  resume: { call: 'start', done: 'Started' },
  suspend: { call: 'pause', done: 'Paused' },
  cancel: { call: 'abort', done: 'Aborted' },
  complete: { call: 'finalize', done: 'Finalized' },
};

export async function idoControlCommand(ctx: CliContext, action: IdoControlAction, id: string, options: { json?: boolean }): Promise<number> {
  return withDOManager(ctx, (manager) => withDownload(manager, id, async (download) => {
    const { call, done } = IDO_CALL[action];
    await download[call]();
    if (options.json) writeJson(ctx.stdout, { ...envelope(action, true), service: 'ido', jobId: download.id, action, result: null });
    else println(ctx.stdout, `${done} IDO download ${download.id}.`);
    return ExitCode.ok;
  }));
}

/**
 * Polls GetStatus until TRANSFERRED, FINALIZED, ABORTED or a failing error (never a status callback:
 * it would replace the one of the process that owns the download). Ctrl-C stops watching, exit 130.
 */
export async function idoWatchCommand(ctx: CliContext, id: string, options: { json?: boolean; progress?: ProgressMode }): Promise<number> {
  return withDOManager(ctx, (manager) => withDownload(manager, id, async (download) => {
    const reporter = createProgress(options.json ? 'none' : options.progress ?? 'auto', ctx.stderr, { redraws: ctx.canRedraw(ctx.stderr) });
    const line = (event: 'progress' | 'end', s: DODownloadStatus, ok?: boolean) => writeJsonLine(ctx.stdout, {
      schemaVersion: SCHEMA_VERSION, command: 'watch', event, jobId: download.id, state: downloadStateName(s.state),
      bytesTransferred: s.bytesTransferred.toString(), bytesTotal: s.bytesTotal === null ? null : s.bytesTotal.toString(),
      error: s.error ? { code: s.error.code, hresult: s.error.hresult } : null, ...(ok === undefined ? {} : { ok }),
    });
    if (!options.json) println(ctx.stderr, `Watching IDO download ${download.id} (Ctrl-C stops watching; the download goes on).`);
    let last = '';
    let s: DODownloadStatus;
    try {
      for (;;) {
        // One GetStatus a round: the loop shows state, bytes and errors only (not the properties `show` reads).
        s = await download.status();
        const key = `${s.state}:${s.bytesTransferred}:${s.bytesTotal}:${s.error?.hresult}`;
        if (key !== last) {
          last = key;
          if (options.json) line('progress', s);
          reporter.update({ state: downloadStateName(s.state), transferred: s.bytesTransferred, total: s.bytesTotal, note: s.isTransientError ? s.extendedError?.code : undefined });
        }
        const finished = s.state === DODownloadState.Transferred || s.state === DODownloadState.Finalized || s.state === DODownloadState.Aborted || s.error !== null;
        if (finished || ctx.signal.aborted) break;
        await pause(ctx.pollIntervalMs, ctx.signal);
      }
    } finally {
      reporter.stop();
    }
    const failed = s.state === DODownloadState.Aborted || s.error !== null;
    if (options.json) line('end', s, !failed && !ctx.signal.aborted);
    if (ctx.signal.aborted && !failed && s.state !== DODownloadState.Transferred && s.state !== DODownloadState.Finalized) {
      if (!options.json) println(ctx.stderr, 'interrupted');
      return ExitCode.interrupted;
    }
    if (failed) {
      const failure = new DownloadFailedError({ jobId: download.id, state: s.state, jobError: null, cause: s.error ?? undefined });
      if (!options.json) throw failure;
      return ExitCode.jobFailed;
    }
    if (!options.json) println(ctx.stdout, `IDO download ${download.id} is ${downloadStateName(s.state)} (${formatBytes(s.bytesTransferred)}).`);
    return ExitCode.ok;
  }));
}
