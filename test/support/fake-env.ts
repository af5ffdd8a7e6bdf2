/** Shared set-up for API tests on the fake service. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BackgroundCopyManager } from '../../src';
import { createFakeService, type FakeServiceOptions } from '../../src/testing';

export async function connectFake(options: FakeServiceOptions = {}, connect: { callTimeoutMs?: number } = {}) {
  const fake = createFakeService(options);
  const manager = await BackgroundCopyManager.connect({ service: fake, ...connect });
  return { fake, manager };
}

let dir: string | undefined;
/** A fresh absolute local path in a per-process temp folder. */
export function localPath(name: string): string {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'do-ffi-'));
  return path.join(dir, name);
}
