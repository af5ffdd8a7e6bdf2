/**
 * The files of a `download`: `<url> <dest>` pairs on the command line and/or `--from-file` (CSV or
 * TSV with two columns, URL then destination, as `Import-Csv | Start-BitsTransfer` takes them).
 */
import * as fs from 'fs';
import { UsageError } from './usage';

export interface UrlDest {
  readonly url: string;
  readonly dest: string;
}

/** `a b c d` → [{a,b},{c,d}]; an odd count is a usage error. */
export function pairsFromArgs(args: readonly string[]): UrlDest[] {
  if (args.length % 2 !== 0) {
    throw new UsageError(`expected <url> <dest> pairs, got ${args.length} argument${args.length === 1 ? '' : 's'} (the last URL has no destination)`);
  }
  const pairs: UrlDest[] = [];
  for (let i = 0; i < args.length; i += 2) pairs.push({ url: args[i], dest: args[i + 1] });
  return pairs;
}

/** A first row whose first cell is not a URL is a header (`Source,Destination`, `url,dest` …). */
const looksLikeHeader = (row: readonly string[]) => !/^[a-z][a-z0-9+.-]*:/i.test(row[0] ?? '');

/**
 * Reads a CSV (comma) or TSV (tab: `.tsv` or `.tab`, or not `.csv` and a tab in the first line)
 * list. Blank lines and lines starting with `#` are skipped.
 */
export function pairsFromFile(file: string, text = fs.readFileSync(file, 'utf8')): UrlDest[] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const tsv = /\.(tsv|tab)$/i.test(file) || (!/\.csv$/i.test(file) && firstLine.includes('\t'));
  let rows: string[][];
  try {
    // Loaded only for --from-file: no other command pays for the CSV parser at start-up.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parse } = require('csv-parse/sync') as typeof import('csv-parse/sync');
    rows = parse(text.replace(/^\uFEFF/, ''), {
      delimiter: tsv ? '\t' : ',', skip_empty_lines: true, comment: '#', comment_no_infix: true, trim: true, relax_column_count: true,
      quote: tsv ? false : '"',
    }) as string[][];
  } catch (error) {
    throw new UsageError(`${file}: not a readable ${tsv ? 'TSV' : 'CSV'} list: ${(error as Error).message}`);
  }
  if (rows.length > 0 && looksLikeHeader(rows[0])) rows = rows.slice(1);
  return rows.map((row, i) => {
    if (row.length < 2 || !row[0] || !row[1]) throw new UsageError(`${file}: entry ${i + 1} needs two columns, a URL and a destination`);
    return { url: row[0], dest: row[1] };
  });
}
