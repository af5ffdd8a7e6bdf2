/**
 * Layering of the fake service (src/testing): each fake object depends only on the narrow context
 * it uses, so the service's context (`context.ts`) ties no cycle. Before issue 11 one cycle of 17
 * files ran through `FakeContext`; what may remain is the job and the modules that implement its
 * methods (fake-job, job-handlers, job-ext-handlers, transfer): 4 files. Type imports count.
 */
import * as fs from 'fs';
import * as path from 'path';

const DIR = path.resolve(__dirname, '../../../src/testing');
const LARGEST_CYCLE = 4;

/** The sibling modules a source names (`import … from './x'`, `export … from './x'`, type-only ones included). */
function siblings(source: string): string[] {
  return [...source.matchAll(/\b(?:import|export)\b[^;'"]*?\bfrom\s*['"]\.\/([\w-]+)['"]/g)].map((m) => `${m[1]}.ts`);
}

function importGraph(dir: string): Map<string, string[]> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
  return new Map(files.map((f) => [f, siblings(fs.readFileSync(path.join(dir, f), 'utf8')).filter((s) => files.includes(s))]));
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

describe('src/testing imports', () => {
  const graph = importGraph(DIR);
  const found = cycles(graph);

  it('reads the imports, type-only and multi-line ones included (so the checks below cannot pass on nothing)', () => {
    expect(graph.size).toBeGreaterThan(30);
    expect(siblings("import type { A } from './a';\nimport {\n  B,\n  type C,\n} from './b';\nexport { D } from './d';")).toEqual(['a.ts', 'b.ts', 'd.ts']);
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
  });

  it('context.ts is in no cycle', () => {
    expect(found.filter((c) => c.includes('context.ts'))).toEqual([]);
  });

  it(`no cycle is larger than the job and the modules of its methods (${LARGEST_CYCLE} files)`, () => {
    expect(found.filter((c) => c.length > LARGEST_CYCLE)).toEqual([]);
  });
});
