/**
 * validateLocalPath's "names an existing folder" check for the many paths of one addFiles() call:
 * one listing per destination folder instead of one stat per path. A stat is a file-system round
 * trip (~15 µs under Wine; libuv's on Windows opens a handle), which 1,000 files paid 1,000 times —
 * more than the AddFileSet call itself (bench:wine, part addfiles).
 */
import * as fs from 'fs';
import * as path from 'path';
import { isExistingFolder, isLocalToThisMachine } from './validate';

/** Below this many paths in one folder, a stat each is cheaper than listing the folder. */
const LIST_FROM = 8;

/** The index of the first path (of this machine's) that names an existing folder, or -1. */
export function firstExistingFolder(paths: readonly string[], posix: boolean): number {
  const byFolder = new Map<string, number[]>();
  paths.forEach((p, i) => {
    if (!isLocalToThisMachine(p, posix)) return;
    const folder = flavourOf(p).dirname(p);
    const key = caseOf(p, folder);
    const group = byFolder.get(key);
    if (group) group.push(i);
    else byFolder.set(key, [i]);
  });
  let first = -1;
  for (const group of byFolder.values()) {
    const hit = group.length < LIST_FROM ? group.find((i) => isExistingFolder(paths[i])) : firstInListing(paths, group);
    if (hit !== undefined && hit !== -1 && (first === -1 || hit < first)) first = hit;
  }
  return first;
}

/** One listing of the group's folder; entries that are links, and 8.3 short names (not listed), are stat'ed. */
function firstInListing(paths: readonly string[], group: readonly number[]): number {
  const p0 = paths[group[0]];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(flavourOf(p0).dirname(p0), { withFileTypes: true });
  } catch {
    return -1; // no such folder (so no folder inside it either), or not ours to list: the service answers
  }
  const byName = new Map(entries.map((e) => [caseOf(p0, e.name), e]));
  for (const i of group) {
    const p = paths[i];
    const entry = byName.get(caseOf(p, flavourOf(p).basename(p)));
    if (entry?.isDirectory()) return i;
    if (entry?.isSymbolicLink() || (!entry && p.includes('~'))) {
      if (isExistingFolder(p)) return i;
    }
  }
  return -1;
}

function flavourOf(p: string): typeof path.posix {
  return p.startsWith('/') ? path.posix : path.win32;
}

/** Windows names compare without case. */
function caseOf(p: string, name: string): string {
  return p.startsWith('/') ? name : name.toLowerCase();
}
