/**
 * Layering of the fake service (src/testing and its folders): what counts is the RUNTIME import
 * graph, the one that decides load order and can leave a module half-initialised. Type-only
 * imports are free (the objects name the one ServiceContext type; the service names them back),
 * so the test reads `import type` and all-`type` specifier lists as no edge. There is no runtime
 * cycle (before the folders, a type-only count forced 11 context types; none was a runtime cycle).
 */
import * as fs from 'fs';
import * as path from 'path';

const DIR = path.resolve(__dirname, '../../../src/testing');

/** The relative modules a source loads at run time (`import … from`, `export … from`), type-only ones left out. */
export function runtimeImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/\b(import|export)\b(\s+type\b)?([^;'"]*?)\bfrom\s*['"](\.{1,2}\/[\w./-]+)['"]/g)) {
    const [, , typeOnly, clause, spec] = m;
    if (typeOnly) continue;
    const braces = /\{([^}]*)\}/.exec(clause);
    const outside = clause.replace(/\{[^}]*\}/, '').replace(/[\s,]/g, '');
    const names = braces ? braces[1].split(',').map((s) => s.trim()).filter(Boolean) : [];
    // `import { type A, type B } from` loads nothing; a default or namespace import, or one value name, does.
    if (braces && outside === '' && names.length > 0 && names.every((n) => n.startsWith('type '))) continue;
    found.push(spec);
  }
  return found;
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

function importGraph(dir: string): Map<string, string[]> {
  const files = listFiles(dir);
  const resolve = (from: string, spec: string): string | null => {
    const base = path.resolve(path.dirname(from), spec);
    return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => files.includes(f)) ?? null;
  };
  const name = (f: string) => path.relative(dir, f);
  return new Map(files.map((f) => [
    name(f),
    runtimeImports(fs.readFileSync(f, 'utf8')).map((s) => resolve(f, s)).filter((t): t is string => t !== null).map(name),
  ]));
}

/** Strongly connected components of more than one file (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('src/testing runtime imports', () => {
  const graph = importGraph(DIR);
  const found = cycles(graph);

  it('reads runtime imports across the folders, and only those (so the checks below cannot pass on nothing)', () => {
    expect(graph.size).toBeGreaterThan(30);
    expect([...graph.keys()].some((f) => f.includes(path.sep))).toBe(true);
    expect(runtimeImports([
      "import type { A } from './a';",
      "import {\n  B,\n  type C,\n} from '../b';",
      "import { type D, type E } from './d';",
      "export { F } from './f';",
      "export type { G } from './g';",
      "import * as H from './h';",
    ].join('\n'))).toEqual(['../b', './f', './h']);
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
  });

  it('sees the runtime edges (the job loads its handlers, the service core its objects)', () => {
    const edge = (from: string, to: string) => (graph.get(from.split('/').join(path.sep)) ?? []).includes(to.split('/').join(path.sep));
    expect(edge('job/fake-job.ts', 'job/handlers.ts')).toBe(true);
    expect(edge('service/core.ts', 'objects/fake-manager.ts')).toBe(true);
  });

  it('has no runtime import cycle', () => {
    expect(found).toEqual([]);
  });
});
