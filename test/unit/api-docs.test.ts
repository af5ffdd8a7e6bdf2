/**
 * The API reference cannot fall behind: TypeDoc (typedoc.json: both entry points, validation
 * `notDocumented` / `notExported` / `invalidLink`, warnings treated as errors) must build with no
 * warning, so every exported symbol, member and enum value has its TSDoc. `npm run docs:api`
 * writes the HTML to api-docs/.
 */
import { execFile } from 'child_process';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');

test('TypeDoc validates the public API with no undocumented or unexported symbol', async () => {
  const result = await new Promise<{ ok: boolean; output: string }>((resolve) => {
    execFile(process.execPath, [path.join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--emit', 'none'], { cwd: root, encoding: 'utf8', timeout: 240_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      (error, stdout, stderr) => resolve({ ok: !error, output: `${stdout}${stderr}`.replace(/\x1b\[[0-9;]*m/g, '') }));
  });
  expect(result.output.split('\n').filter((l) => /\[(warning|error)\]/.test(l))).toEqual([]);
  expect(result.ok).toBe(true);
}, 300_000);
