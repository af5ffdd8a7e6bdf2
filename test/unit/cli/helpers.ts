/** Runs the CLI in-process with captured streams, against the testing fake or a stub manager. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BackgroundCopyManager } from '../../../src/api';
import { run, type CliDeps } from '../../../src/cli/main';
import type { CliManager, Connect } from '../../../src/cli/service';
import type { EnvironmentInfo } from '../../../src/cli/environment';
import { createFakeService, type FakeService, type FakeServiceOptions } from '../../../src/testing';

export interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function buffer(isTTY = false): { write(s: string): boolean; readonly isTTY: boolean; text(): string } {
  let text = '';
  return { isTTY, write: (s: string) => { text += s; return true; }, text: () => text };
}

export async function cli(argv: readonly string[], deps: CliDeps = {}): Promise<Captured> {
  const stdout = buffer();
  const stderr = buffer();
  const code = await run(argv, { pollIntervalMs: 10, retryDelaysMs: [1, 1], probe: linuxProbe, ...deps, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** JSON document printed on stdout. */
export function json(c: Captured): Record<string, unknown> {
  return JSON.parse(c.stdout) as Record<string, unknown>;
}

export const linuxProbe = async (): Promise<EnvironmentInfo> => ({
  platform: 'linux', arch: 'x64', osRelease: '6.1.0', node: 'v20.0.0', wine: null, koffi: { ok: true, version: '3.3.4', error: null },
});

/** A connect that fails with `error` (for exit-code mapping). */
export function failingConnect(error: unknown): Connect {
  return async () => {
    throw error;
  };
}

export interface FakeFixture {
  readonly fake: FakeService;
  readonly connect: Connect;
  readonly dir: string;
  file(name: string): string;
  /** Settles, checks that the CLI released every COM reference, disposes. */
  done(): Promise<void>;
}

export function fakeFixture(options: FakeServiceOptions = {}): FakeFixture {
  const fake = createFakeService({ flavour: 'bits', ...options });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-unit-'));
  const connect: Connect = async () => (await BackgroundCopyManager.connect({ service: fake })) as CliManager;
  return {
    fake, connect, dir,
    file: (name) => path.join(dir, name),
    done: async () => {
      try {
        await fake.settle();
        fake.assertBalanced();
      } finally {
        fake.dispose();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A fake with one SUSPENDED job made through the API, for commands that take a job; `done()`
 * cancels the job through the CLI, then does what FakeFixture.done does.
 */
export async function fakeWithJob(name: string, options: FakeServiceOptions = {}): Promise<FakeFixture & { readonly id: string }> {
  const f = fakeFixture(options);
  const m = await BackgroundCopyManager.connect({ service: f.fake });
  const job = await m.createJob(name);
  const id = job.id;
  job.dispose();
  m.dispose();
  return {
    ...f,
    id,
    done: async () => {
      await cli(['cancel', id, '--bits'], { connect: f.connect });
      await f.done();
    },
  };
}

/** No stack frames in the output ("    at fn (file:line)"). */
export function expectNoStack(text: string): void {
  expect(text).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
}
