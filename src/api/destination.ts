/**
 * The destination folders of a download, checked before anything is created or transferred: a
 * missing folder would otherwise be found only after the whole transfer (at Complete). The check
 * runs in this process, on its file system: the service's under Windows and Wine, and the one the
 * testing fake writes to.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DestinationFolderError, type DestinationFolderProblem } from '../errors';

function problemOf(folder: string): { problem: DestinationFolderProblem; cause?: unknown } | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch (cause) {
    return { problem: 'missing', cause };
  }
  if (!stat.isDirectory()) return { problem: 'not-a-directory' };
  // Windows' access() checks only the read-only attribute, which folders ignore: no answer there.
  if (process.platform !== 'win32') {
    try {
      fs.accessSync(folder, fs.constants.W_OK);
    } catch (cause) {
      return { problem: 'not-writable', cause };
    }
  }
  return null;
}

/** Throws DestinationFolderError for the first local path whose folder is missing, a file, or (POSIX) not writable. */
export function checkDestinationFolders(localPaths: readonly string[]): void {
  for (const localPath of localPaths) {
    const folder = path.dirname(localPath);
    const found = problemOf(folder);
    if (found) throw new DestinationFolderError({ localPath, folder, ...found });
  }
}
