/**
 * docs/helper-tokens.md's example runs as printed on the fake, and prints what the page says it
 * prints (the imports become bindings of the sources, as test/unit/readme.test.ts does for the README).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import * as lib from '../../../src';
import * as testing from '../../../src/testing';

const page = fs.readFileSync(path.resolve(__dirname, '../../../docs/helper-tokens.md'), 'utf8');
const samples = [...page.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

function asFunctionBody(code: string): string {
  const imports: string[] = [];
  const body = code.replace(/^import (type )?\{([^}]*)\} from '([^']+)';$/gm, (_all, typeOnly: string | undefined, names: string, from: string) => {
    if (!typeOnly) imports.push(`const {${names.replace(/\btype \w+,?/g, '')}} = modules[${JSON.stringify(from)}];`);
    return '';
  });
  const js = ts.transpileModule(`${imports.join('\n')}\n${body}`, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
  return `return (async () => {\n${js}\n})();`;
}

test('the page has one example, and it prints what the page says', async () => {
  expect(samples).toHaveLength(1);
  const printed: string[] = [];
  const sandboxConsole = { log: (...args: unknown[]) => void printed.push(args.map(String).join(' ')) };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const run = new Function('modules', 'console', asFunctionBody(samples[0])) as (m: Record<string, unknown>, c: typeof sandboxConsole) => Promise<void>;
  await run({ 'delivery-optimization': lib, 'delivery-optimization/testing': testing }, sandboxConsole);
  expect(printed).toEqual(['flags 3 sid S-1-5-21-1-2-3-1001', 'after clear null']);
  expect(page).toContain('It prints `flags 3 sid S-1-5-21-1-2-3-1001`, then `after clear null`.');
});
