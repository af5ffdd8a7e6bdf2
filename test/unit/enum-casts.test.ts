/**
 * Enums are typed where a value is read (`$.out.enum<E>()` in the tables, the typed fields a
 * koffi struct decodes to) or checked (`validateEnum`), never by an `as <Enum>` cast at the use:
 * such a cast is where a value from the service would take a type nobody declared.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tsFiles } from '../support/source-files';

const SRC = path.resolve(__dirname, '../../src');

describe('casts to enums in src', () => {
  const files = tsFiles(SRC).map((file) => ({ file: path.relative(SRC, file), text: fs.readFileSync(file, 'utf8') }));
  const enums = files.flatMap(({ text }) => [...text.matchAll(/\bexport\s+(?:const\s+)?enum\s+(\w+)/g)].map((m) => m[1]));
  const cast = new RegExp(`\\bas\\s+(${enums.join('|')})\\b`);

  it('finds the enums, and a cast when there is one (so the check below cannot pass on nothing)', () => {
    expect(enums).toEqual(expect.arrayContaining(['JobState', 'DODownloadState', 'DODownloadProperty', 'SwarmStatus']));
    expect(cast.test('state: s.State as DODownloadState,')).toBe(true);
    expect(cast.test('import { DODownloadProperty as P } from')).toBe(false);
  });

  it('no `as <Enum>` cast', () => {
    const offenders = files.flatMap(({ file, text }) =>
      text.split('\n').flatMap((line, i) => (cast.test(line) && !/^\s*import\b/.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])));
    expect(offenders).toEqual([]);
  });
});
