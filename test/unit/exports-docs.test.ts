/**
 * A narrow root that the docs list (issue 23, item 7): every runtime name of the package root and
 * of `delivery-optimization/diagnostics` is listed under its entry point in docs/api.md, and no
 * name is listed under an entry point that does not export it (a name that moved). So "root exports
 * that docs do not list" is zero and stays zero.
 */
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');
const api = fs.readFileSync(path.join(root, 'docs', 'api.md'), 'utf8');

/** The `identifier`s written in the section `## \`<entry>\`` of docs/api.md. */
function listed(entry: string): Set<string> {
  const start = api.indexOf(`## \`${entry}\`\n`);
  if (start < 0) throw new Error(`docs/api.md has no section for ${entry}`);
  const end = api.indexOf('\n## ', start + 1);
  const section = api.slice(start, end < 0 ? undefined : end);
  return new Set([...section.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]));
}

/* eslint-disable @typescript-eslint/no-require-imports */
const ENTRIES = {
  'delivery-optimization': Object.keys(require('../../src') as object),
  'delivery-optimization/diagnostics': Object.keys(require('../../src/diagnostics') as object),
};
/* eslint-enable @typescript-eslint/no-require-imports */

describe.each(Object.entries(ENTRIES))('%s', (entry, names) => {
  test('every runtime export is listed in docs/api.md', () => {
    const docs = listed(entry);
    expect(names.filter((n) => !docs.has(n))).toEqual([]);
  });

  test('no name is listed there that another entry point exports instead', () => {
    const elsewhere = Object.entries(ENTRIES).filter(([e]) => e !== entry).flatMap(([, n]) => n);
    expect([...listed(entry)].filter((n) => elsewhere.includes(n) && !names.includes(n))).toEqual([]);
  });
});

test('the root keeps diagnostics and global hooks off (they are on the diagnostics subpath)', () => {
  const rootNames = ENTRIES['delivery-optimization'];
  for (const moved of ENTRIES['delivery-optimization/diagnostics']) expect(rootNames).not.toContain(moved);
});
