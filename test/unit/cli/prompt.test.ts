/** The terminal prompter: a password is read without echo, a confirmation with it. */
import { PassThrough } from 'stream';
import { createPrompter } from '../../../src/cli/prompt';

function streams() {
  const input = new PassThrough();
  let written = '';
  const output = new PassThrough();
  output.on('data', (d: Buffer) => { written += d.toString(); });
  return { input, output, written: () => written };
}

test('secret(): the question is shown, the typed password is returned and never echoed', async () => {
  const s = streams();
  const answer = createPrompter(s).secret('Password for bob: ');
  s.input.write('s3cr3t-typed\r');
  await expect(answer).resolves.toBe('s3cr3t-typed');
  expect(s.written()).toContain('Password for bob: ');
  expect(s.written()).not.toContain('s3cr3t');
});

test('confirm(): y / yes is true, anything else false, and the answer is echoed', async () => {
  for (const [typed, expected] of [['y', true], ['YES', true], ['n', false], ['', false]] as const) {
    const s = streams();
    const answer = createPrompter(s).confirm('Cancel these 2 job(s)? [y/N] ');
    s.input.write(`${typed}\r`);
    await expect(answer).resolves.toBe(expected);
    if (typed) expect(s.written()).toContain(typed);
  }
});

test('interactive only when both streams are terminals; end of input answers empty', async () => {
  const s = streams();
  expect(createPrompter(s).interactive).toBe(false);
  expect(createPrompter({ input: Object.assign(new PassThrough(), { isTTY: true }), output: Object.assign(new PassThrough(), { isTTY: true }) }).interactive).toBe(true);
  const answer = createPrompter(s).secret('Password: ');
  s.input.end();
  await expect(answer).resolves.toBe('');
});
