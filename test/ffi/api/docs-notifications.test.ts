/**
 * docs/notifications.md's on-demand sample runs on the fake: it asks for a range, awaits
 * 'ranges-transferred', and reads the bytes from the temporary file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import * as fsPromises from 'fs/promises';
import * as lib from '../../../src';
import * as testing from '../../../src/testing';

const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'notifications.md'), 'utf8');
const sample = /^```ts\n([\s\S]*?)^```$/m.exec(doc)?.[1] ?? '';

/** The ES-module sample as an async function body: imports become bindings from `modules`. */
function asFunctionBody(code: string): string {
  const imports: string[] = [];
  const body = code.replace(/^import (type )?\{([^}]*)\} from '([^']+)';$/gm, (_all, typeOnly: string | undefined, names: string, from: string) => {
    if (!typeOnly) imports.push(`const {${names.replace(/\btype \w+,?/g, '')}} = modules[${JSON.stringify(from)}];`);
    return '';
  });
  const js = ts.transpileModule(`${imports.join('\n')}\n${body}`, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
  return `return (async () => {\n${js}\n})();`;
}

test('the on-demand sample reads the bytes of the range it asked for', async () => {
  expect(sample).toContain("job.on('ranges-transferred'");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-docs-notifications-'));
  const printed: string[] = [];
  try {
    // The folder goes into a string literal: escaped, so that a Windows path's backslashes stay backslashes.
    const code = sample.replaceAll("'/tmp/", `'${JSON.stringify(dir + path.sep).slice(1, -1)}`);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const run = new Function('modules', 'console', asFunctionBody(code)) as (m: Record<string, unknown>, c: unknown) => Promise<void>;
    await run({ 'delivery-optimization': lib, 'delivery-optimization/testing': testing, 'node:fs/promises': fsPromises }, { log: (s: string) => printed.push(s) });
    expect(printed).toEqual(['read 512 bytes at 4096']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
