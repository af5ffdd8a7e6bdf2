/**
 * The file name the CLI takes from a remote name when the destination is a folder: the URL's last
 * path segment (%-decoded) or the last part of a UNC / drive path. A name Windows cannot hold, or
 * holds only as a device or under another name, is refused with the rule it breaks: the user then
 * names the file. Rules: learn.microsoft.com/windows/win32/fileio/naming-a-file.
 */
import { DEVICE_NAME, remoteForMessage } from '../api/validate';
import { UsageError } from './usage';

/** Used when the remote name ends without a file name (`http://host/`). */
export const DEFAULT_FILE_NAME = 'download.bin';

/** The longest file name (one path component) NTFS and FAT hold. */
const MAX_NAME = 255;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const NOT_IN_WINDOWS_NAMES = /[<>:"/\\|?*]/;

/** The last segment of the remote name, %-decoded for URLs. */
function lastSegment(url: string): string {
  if (!/^(https?|file):/i.test(url)) return url.split(/[\\/]/).filter(Boolean).pop() ?? '';
  const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    throw new UsageError(`the URL's file name '${remoteForMessage(last)}' has a malformed %-escape, so no file name can be taken from it: give the destination as a file path, not a folder`);
  }
}

/** The rule `name` breaks, or null. */
function nameProblem(name: string): string | null {
  const control = CONTROL.exec(name);
  if (control) return `holds the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} (file names hold no control characters)`;
  const bad = NOT_IN_WINDOWS_NAMES.exec(name);
  if (bad) return `holds '${bad[0]}', one of the characters Windows does not allow in file names (< > : " / \\ | ? *)`;
  if (DEVICE_NAME.test(name)) return 'is a name Windows reserves for a device (CON, PRN, AUX, NUL, COM1-9, LPT1-9, also with an extension): the device would be opened, not a file';
  if (/[. ]$/.test(name)) return 'ends in a dot or a space, which Windows strips (the file would get another name)';
  if (name.length > MAX_NAME) return `is ${name.length} characters long (a file name holds at most ${MAX_NAME})`;
  return null;
}

/** The file name for `url`'s download into a folder; UsageError when the name taken from the URL cannot be a file name. */
export function fileNameFromRemote(url: string): string {
  const name = lastSegment(url);
  if (name === '') return DEFAULT_FILE_NAME;
  const problem = nameProblem(name);
  if (problem) {
    throw new UsageError(`the file name '${remoteForMessage(name)}' taken from the URL ${problem}: give the destination as a file path, not a folder`);
  }
  return name;
}
