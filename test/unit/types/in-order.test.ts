/**
 * The self-wait of a job's ordered step cannot be written (issue 23, item 1). Before, a step of
 * `write(steps)` that used the job's ordered pointer (`this.live`, `this.getState()`) queued behind
 * the step itself and never settled, and only a comment said so. Now the ordered verbs are
 * `#private` to BackgroundCopyJob, and `inOrder(step)` hands the step the only pointer it may use:
 * one whose calls do not queue and that cannot start another step. Each line below is compiled by
 * `tsc` (strict); an `@ts-expect-error` that finds no error fails the test.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '../../..');
const tsc = require.resolve('typescript/bin/tsc');
const src = path.join(root, 'src').replace(/\\/g, '/');

/** What a subclass of the job could reach before: the ordered write and the pointers. */
const SUBCLASS = `
import { BackgroundCopyJob } from '${src}';

export class Mine extends BackgroundCopyJob {
  selfWait(): Promise<unknown> {
    // @ts-expect-error no ordered write to wait inside (before: this.write(() => this.getState()) compiled and hung)
    return this.write(async () => this.getState());
  }
  pointers(): unknown[] {
    return [
      // @ts-expect-error the ordered job pointer is gone
      this.live,
      // @ts-expect-error the unordered job pointer is gone
      this.jobPtr,
      // @ts-expect-error the ordered extension pointers are gone
      this.facet,
      // @ts-expect-error the QueryInterface cache is no wrapper's API any more
      this.extension,
    ];
  }
}
`;

/** The calling verb: typed by the tables, and a step holds only its step pointer. */
const STEPS = `
import type { Calls, StepCalls } from '${src}/api/calls';
import { IBackgroundCopyJob, IBackgroundCopyJob3, JobState } from '${src}/bits';

export async function steps(calls: Calls): Promise<void> {
  const state: JobState = await calls.call(IBackgroundCopyJob, 'GetState');
  void state;
  // @ts-expect-error the method name comes from the interface's table
  await calls.call(IBackgroundCopyJob, 'GetStat');
  // @ts-expect-error so do the arguments
  await calls.call(IBackgroundCopyJob3, 'SetFileACLFlags', 'all');
  await calls.inOrder(async (job) => {
    await job.call(IBackgroundCopyJob, 'GetState');
    // @ts-expect-error a step cannot start a step of the same job: it would wait for itself
    await job.inOrder(async () => undefined);
  });
  const handed: StepCalls = calls;
  // @ts-expect-error the step pointer is no ordered Calls: it cannot be passed where one is expected
  const ordered: Calls = handed;
  void ordered;
}
`;

let dir: string;

function compile(name: string, text: string): string {
  fs.writeFileSync(path.join(dir, `${name}.ts`), text);
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, module: 'commonjs', target: 'ES2022', skipLibCheck: true, isolatedModules: true,
      lib: ['ES2022', 'ESNext.Disposable'], types: ['node'], typeRoots: [path.join(root, 'node_modules', '@types')],
    },
    files: [`${name}.ts`],
  }));
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(dir, `${name}.json`)], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-in-order-'));
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('a subclass of the job reaches no ordered write and no pointer: the self-wait of write(steps) cannot be written', () => {
  expect(compile('subclass', SUBCLASS)).toBe('');
}, 120_000);

test('call(Interface, Method, …args) is typed by the tables; a step has its step pointer only, which cannot start a step', () => {
  expect(compile('steps', STEPS)).toBe('');
}, 120_000);
