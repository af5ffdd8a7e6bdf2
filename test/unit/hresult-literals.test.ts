/**
 * Issue 11: no HRESULT is written as a number outside the tables that define them. A code typed by
 * hand elsewhere can drift from its table (a wrong digit is still a valid number) and cannot be
 * found by its name. The tables: the library's code table (src/errors/code-rows*.ts), the COM
 * constants of src/com (src/com/hresult.ts, which knows no BITS), and the fake's own codes and
 * texts (src/testing/service/hresults.ts, descriptions.ts: independent of the library's on purpose).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CODES } from '../../src/errors';
import { tsFiles } from '../support/source-files';

const SRC = path.resolve(__dirname, '../../src');
const TABLES = [/^errors\/code-rows[\w-]*\.ts$/, /^com\/hresult\.ts$/, /^testing\/service\/hresults\.ts$/, /^testing\/service\/descriptions\.ts$/];

/** Hex literals in code (comments and string literals removed), as `file:line value`. */
function hexLiterals(file: string): Array<{ where: string; value: number }> {
  const rel = path.relative(SRC, file).replace(/\\/g, '/');
  const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  return text.split('\n').flatMap((line, i) => {
    const code = line.replace(/\/\/.*$/, '').replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");
    return [...code.matchAll(/\b0x[0-9a-fA-F]{8}\b/g)].map((m) => ({ where: `${rel}:${i + 1}`, value: Number(m[0]) }));
  });
}

const known = new Set(CODES.map((c) => c.hresult >>> 0));

test('the scan sees literals and knows the codes (so the check below cannot pass on nothing)', () => {
  const all = tsFiles(SRC).flatMap(hexLiterals);
  expect(all.filter((l) => l.where.startsWith('errors/code-rows')).length).toBeGreaterThan(100);
  expect(known.has(0x80200001) && known.has(0x80d02003) && known.has(0x80070057)).toBe(true);
});

test('no known HRESULT is a number outside the tables', () => {
  const stray = tsFiles(SRC)
    .filter((f) => !TABLES.some((t) => t.test(path.relative(SRC, f).replace(/\\/g, '/'))))
    .flatMap(hexLiterals)
    .filter((l) => known.has(l.value))
    .map((l) => `${l.where} 0x${l.value.toString(16)}`);
  expect(stray).toEqual([]);
});
