/**
 * addFiles()' folder check of many paths at once (src/api/existing-folders.ts): the same answer as a
 * stat per path, with one listing per destination folder instead of a stat per path.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { firstExistingFolder } from '../../../src/api/existing-folders';

const posix = process.platform !== 'win32';
const onPosix = posix ? test : test.skip;
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-existing-folders-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const files = (n: number, folder = dir) => Array.from({ length: n }, (_, i) => path.join(folder, `f${i}.bin`));

onPosix('no folder among many new files: -1, and one listing of their folder rather than a stat each', () => {
  // The module object itself (the namespace import is read-only); the source reads through it.
  const fsModule = jest.requireActual<typeof fs>('fs');
  const readdir = jest.spyOn(fsModule, 'readdirSync');
  const stat = jest.spyOn(fsModule, 'statSync');
  try {
    expect(firstExistingFolder(files(100), true)).toBe(-1);
    expect(readdir).toHaveBeenCalledTimes(1);
    expect(stat).not.toHaveBeenCalled();
  } finally {
    readdir.mockRestore();
    stat.mockRestore();
  }
});

onPosix('the first path that names a folder, in the caller\'s order, whichever way it is found', () => {
  const paths = files(40);
  fs.mkdirSync(paths[13]);
  fs.mkdirSync(paths[30]);
  expect(firstExistingFolder(paths, true)).toBe(13);
  // a few paths: a stat each, same answer
  expect(firstExistingFolder([paths[0], paths[30], paths[13]], true)).toBe(1);
});

onPosix('a link to a folder is a folder; a file is not; a missing destination folder has none', () => {
  const paths = files(20);
  fs.writeFileSync(paths[2], 'x');
  fs.mkdirSync(path.join(dir, 'real'));
  fs.symlinkSync(path.join(dir, 'real'), paths[7]);
  expect(firstExistingFolder(paths, true)).toBe(7);
  expect(firstExistingFolder(files(20, path.join(dir, 'missing')), true)).toBe(-1);
});

onPosix('Windows paths are not this machine\'s off Windows: not looked at', () => {
  expect(firstExistingFolder(['C:\\dl\\a.bin', '\\\\server\\share\\b.bin'], true)).toBe(-1);
});
