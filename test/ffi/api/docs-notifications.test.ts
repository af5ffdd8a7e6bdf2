/**
 * docs/notifications.md's on-demand sample runs on the fake: it asks for a range, awaits
 * 'ranges-transferred', and reads the bytes from the temporary file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fsPromises from 'fs/promises';
import * as lib from '../../../src';
import * as testing from '../../../src/testing';
import { inStringLiteral, runSample, tsSamples } from '../../support/doc-sample';

const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'notifications.md'), 'utf8');
const [sample = ''] = tsSamples(doc);

test('the on-demand sample reads the bytes of the range it asked for', async () => {
  expect(sample).toContain("job.on('ranges-transferred'");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-docs-notifications-'));
  const printed: string[] = [];
  try {
    // The folder goes into a string literal: escaped, so that a Windows path's backslashes stay backslashes.
    const code = sample.replaceAll("'/tmp/", `'${inStringLiteral(dir + path.sep)}`);
    await runSample(code, { 'delivery-optimization': lib, 'delivery-optimization/testing': testing, 'node:fs/promises': fsPromises }, { log: (s: string) => printed.push(s) });
    expect(printed).toEqual(['read 512 bytes at 4096']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
