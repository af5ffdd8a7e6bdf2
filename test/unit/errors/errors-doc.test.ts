import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CODES } from '../../../src/errors';
import { ERRORS_DOC_PATH, errorsDocIsUpToDate, renderErrorsDoc } from '../../../scripts/gen-errors-doc';

describe('docs/errors.md', () => {
  it('is up to date with the code table (run `npm run docs:errors` if not)', () => {
    expect(errorsDocIsUpToDate()).toBe(true);
  });

  it('lists every code once', () => {
    const doc = renderErrorsDoc();
    for (const c of CODES) expect(doc).toContain(`| \`${c.name}\` |`);
    expect(doc).toContain('npx delivery-optimization explain 0x80d03002');
  });

  it('passes the generator in --check mode', () => {
    const root = path.join(__dirname, '..', '..', '..');
    const script = path.join(root, 'scripts', 'gen-errors-doc.ts');
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', script, '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.existsSync(ERRORS_DOC_PATH)).toBe(true);
  }, 60_000);
});
