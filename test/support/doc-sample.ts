/**
 * Runs a documentation page's TypeScript sample as printed, inside the test process: its imports
 * become bindings of the modules the test hands in (the sources, not the package), so a page's
 * example is checked without building or installing anything.
 */
import * as ts from 'typescript';

/** The ```ts blocks of a Markdown page, in order. */
export function tsSamples(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

/** An ES-module sample as the body of an async function: imports become bindings from `modules`. */
export function asFunctionBody(code: string): string {
  const imports: string[] = [];
  const body = code.replace(/^import (type )?\{([^}]*)\} from '([^']+)';$/gm, (_all, typeOnly: string | undefined, names: string, from: string) => {
    if (!typeOnly) imports.push(`const {${names.replace(/\btype \w+,?/g, '')}} = modules[${JSON.stringify(from)}];`);
    return '';
  });
  const js = ts.transpileModule(`${imports.join('\n')}\n${body}`, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
  return `return (async () => {\n${js}\n})();`;
}

/** Runs the sample with `modules` for its imports and `console` as its console; resolves when it ends. */
export async function runSample(code: string, modules: Record<string, unknown>, console: unknown): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const run = new Function('modules', 'console', asFunctionBody(code)) as (m: Record<string, unknown>, c: unknown) => Promise<void>;
  await run(modules, console);
}

/** A folder path as it must appear inside a string literal of the sample (backslashes escaped). */
export function inStringLiteral(folder: string): string {
  return JSON.stringify(folder).slice(1, -1);
}
