/**
 * The README's TypeScript samples cannot rot: each ```ts block is type-checked as an ES module
 * (strict, `lib` ES2022 + ESNext.Disposable, `delivery-optimization` mapped to the sources), and
 * the samples that need no Windows service (they use `delivery-optimization/testing`) also run,
 * their console output checked.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as lib from '../../src';
import { runSample } from '../support/doc-sample';
import * as testing from '../../src/testing';

const root = path.resolve(__dirname, '../..');

interface Sample { readonly line: number; readonly code: string }

function readmeSamples(): Sample[] {
  const text = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const samples: Sample[] = [];
  const re = /^```ts\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) samples.push({ line: text.slice(0, m.index).split('\n').length, code: m[1] });
  return samples;
}

const samples = readmeSamples();
const runnable = samples.filter((s) => s.code.includes("from 'delivery-optimization/testing'"));

test('the README has TypeScript samples, and at least one runs on the fake', () => {
  expect(samples.length).toBeGreaterThanOrEqual(3);
  expect(runnable.length).toBeGreaterThanOrEqual(1);
});

test('every README sample type-checks (strict, ES module, skipLibCheck false)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-readme-'));
  try {
    const files = samples.map((s, i) => {
      const file = path.join(dir, `sample-${i + 1}-line-${s.line}.ts`);
      fs.writeFileSync(file, `${s.code}\nexport {};\n`);
      return path.basename(file);
    });
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'ESNext.Disposable'], types: ['node'],
        typeRoots: [path.join(root, 'node_modules', '@types')], strict: true, skipLibCheck: false, noEmit: true,
        paths: { 'delivery-optimization': [path.join(root, 'src', 'index.ts')], 'delivery-optimization/testing': [path.join(root, 'src', 'testing', 'index.ts')] },
      },
      files,
    }));
    const result = await new Promise<{ ok: boolean; output: string }>((resolve) => {
      execFile(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], { encoding: 'utf8', timeout: 240_000 },
        (error, stdout, stderr) => resolve({ ok: !error, output: `${stdout}${stderr}` }));
    });
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);

test.each(runnable.map((s) => [s.line, s] as const))('the README sample at line %i runs on the fake and prints words for states', async (_line, sample) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-readme-run-'));
  const printed: string[] = [];
  const sandboxConsole = { log: (...args: unknown[]) => void printed.push(args.map(String).join(' ')), error: (...args: unknown[]) => void printed.push(args.map(String).join(' ')) };
  try {
    const code = sample.code.replaceAll("'/tmp/", `'${dir.replace(/\\/g, '/')}/`);
    await runSample(code, { 'delivery-optimization': lib, 'delivery-optimization/testing': testing }, sandboxConsole);
    expect(printed.length).toBeGreaterThan(1);
    // States are printed as names (TRANSFERRED), not as numbers.
    expect(printed.join('\n')).toMatch(/^TRANSFERRED /m);
    expect(printed.join('\n')).not.toMatch(/^\d+ /m);
    expect(printed[printed.length - 1]).toBe('S_OK');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
