/**
 * Layering: the CLI is a client of the API (src/api, src/errors), never of the raw ABI layer. Every
 * module specifier in every file under src/cli (static imports, re-exports, `import()`, `require()`)
 * is resolved and must not land in src/com.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tsFiles } from '../../support/source-files';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'src', 'cli');
const COM = path.join(ROOT, 'src', 'com');

/** The module specifiers a file names: `from '…'`, `import '…'`, `import('…')`, `require('…')`. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) found.push(m[1]);
  return found;
}

function insideCom(file: string, specifier: string): boolean {
  if (!specifier.startsWith('.')) return false;
  const target = path.resolve(path.dirname(file), specifier);
  return target === COM || target.startsWith(COM + path.sep);
}

describe('src/cli imports', () => {
  const files = tsFiles(CLI);

  it('finds the CLI sources and their imports (so the check below cannot pass on nothing)', () => {
    expect(files.length).toBeGreaterThan(10);
    const all = files.flatMap((f) => specifiers(fs.readFileSync(f, 'utf8')));
    expect(all).toContain('../errors');
    expect(insideCom(path.join(CLI, 'x.ts'), '../com/hresult')).toBe(true);
    expect(insideCom(path.join(CLI, 'commands', 'x.ts'), '../../com')).toBe(true);
    expect(insideCom(path.join(CLI, 'x.ts'), '../api/validate')).toBe(false);
  });

  it('no file under src/cli imports src/com (the CLI goes through src/api and src/errors)', () => {
    const offenders = files.flatMap((file) =>
      specifiers(fs.readFileSync(file, 'utf8'))
        .filter((s) => insideCom(file, s))
        .map((s) => `${path.relative(ROOT, file)}: ${s}`),
    );
    expect(offenders).toEqual([]);
  });
});
