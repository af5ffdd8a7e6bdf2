/**
 * `testbed setup|status|run|clean`: the Wine test bed for users' own scripts and CI (docs/testbed.md).
 * The bed is plain JavaScript in the package's testbed/ folder, shared with the repository's own
 * wine tier (scripts/testbed.js); it loads only when this command runs.
 */
import * as path from 'path';
import { println, type CliContext } from '../context';
import { ExitCode } from '../exit-codes';
import { UsageError } from '../usage';
import type { TestbedAction, TestbedOptions } from '../../../testbed/user';

/* eslint-disable @typescript-eslint/no-require-imports */
// testbed/ sits beside src/ and dist/: three folders up from both src/cli/commands and dist/cli/commands.
const testbed = () => require(path.join(__dirname, '..', '..', '..', 'testbed', 'user.js')) as typeof import('../../../testbed/user');
/* eslint-enable @typescript-eslint/no-require-imports */

export async function testbedCommand(ctx: CliContext, action: TestbedAction, options: TestbedOptions): Promise<number> {
  const tb = testbed();
  try {
    return await tb.testbedCommand(action, options, { stdout: ctx.stdout, cwd: ctx.cwd, env: ctx.env });
  } catch (error) {
    if (error instanceof tb.TestbedUsageError) throw new UsageError(error.message);
    if (error instanceof tb.TestbedUnavailable) {
      println(ctx.stderr, `error: the test bed is unavailable: ${error.message}`);
      return ExitCode.notSupported;
    }
    throw error;
  }
}
