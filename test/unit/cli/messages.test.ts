/** Messages name the service used, the state that explains a failure, and next steps that exist (issue 9 #5). */
import { JobFailedError, NotImplementedError, PlatformNotSupportedError } from '../../../src/errors';
import { JobState } from '../../../src/bits/enums';
import { reportError } from '../../../src/cli/report';
import { createContext } from '../../../src/cli/context';
import { buffer } from './helpers';

function report(error: unknown, serviceName: string | null = null): string {
  const stderr = buffer();
  const ctx = createContext({ stdout: buffer(), stderr });
  ctx.command = 'suspend';
  ctx.serviceName = serviceName;
  reportError(ctx, error);
  return stderr.text();
}

test('E_NOTIMPL on BITS: the message and hint name BITS, not Delivery Optimization', () => {
  const text = report(new NotImplementedError(undefined, { operation: 'IBackgroundCopyJob::Suspend' }), 'BITS');
  expect(text).toContain('BITS does not implement this call');
  expect(text).not.toContain('Delivery Optimization');
});

test('a job cancelled (by another program) is reported as cancelled, not as a Wine connection failure', () => {
  const text = report(new JobFailedError({ jobId: 'j', state: JobState.Cancelled }), 'BITS');
  expect(text).toContain('The job was cancelled');
  expect(text).not.toMatch(/Wine reports none/);
});

test('no hint points npm users at `npm run demo` (a script only the repository has)', () => {
  const text = report(new PlatformNotSupportedError({ platform: 'linux' }));
  expect(text).not.toContain('npm run demo');
  expect(text).toContain('delivery-optimization/testing');
});
