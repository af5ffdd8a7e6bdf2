/**
 * docs/helper-tokens.md's example runs as printed on the fake, and prints what the page says it
 * prints (the imports become bindings of the sources, as test/unit/readme.test.ts does for the README).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as lib from '../../../src';
import * as testing from '../../../src/testing';
import { runSample, tsSamples } from '../../support/doc-sample';

const page = fs.readFileSync(path.resolve(__dirname, '../../../docs/helper-tokens.md'), 'utf8');
const samples = tsSamples(page);

test('the page has one example, and it prints what the page says', async () => {
  expect(samples).toHaveLength(1);
  const printed: string[] = [];
  const sandboxConsole = { log: (...args: unknown[]) => void printed.push(args.map(String).join(' ')) };
  await runSample(samples[0], { 'delivery-optimization': lib, 'delivery-optimization/testing': testing }, sandboxConsole);
  expect(printed).toEqual(['flags 3 sid S-1-5-21-1-2-3-1001', 'after clear null']);
  expect(page).toContain('It prints `flags 3 sid S-1-5-21-1-2-3-1001`, then `after clear null`.');
});
