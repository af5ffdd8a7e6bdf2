/**
 * The `testbed` command's options (docs/testbed.md), beside program.ts so that file stays one
 * page per family of commands. The command's code loads only when it runs.
 */
import { Option, type Command } from 'commander';
import type { CliContext } from './context';
import type { TestbedOptions } from '../../testbed/user';

interface JsonFlag { json?: boolean }

/* eslint-disable-next-line @typescript-eslint/no-require-imports */
const testbedCommand = () => require('./commands/testbed') as typeof import('./commands/testbed');

/** `testbed setup|status|run|clean` (docs/testbed.md). */
export function addTestbed(program: Command, ctx: CliContext, begin: (command: string, options: JsonFlag) => void, setExit: (code: number) => void): void {
  const testbed = program.command('testbed')
    .description("run your own scripts with Windows node under Wine, against Wine's real BITS (Debian/Ubuntu; docs/testbed.md)")
    .enablePositionalOptions()
    .addHelpText('after', '\nFor scripts: `testbed setup --json` and `testbed status --json` print one JSON document; `run` prints the\nscript\'s own output and exits with its exit code.');
  const arch = () => new Option('--arch <arch>', 'x64, or ia32: 32-bit node on WoW64 (needs wine32:i386)').choices(['x64', 'ia32']).default('x64');
  const prefix = () => new Option('--prefix <dir>', "the Wine prefix to use (default: the project's own, in the per-user cache)");
  const act = (action: 'setup' | 'status' | 'run' | 'clean', options: TestbedOptions & JsonFlag) => {
    begin('testbed', options);
    return testbedCommand().testbedCommand(ctx, action, options);
  };
  testbed.command('setup')
    .description('install what is missing: Wine (apt, as root), Windows node 22, koffi\'s win32 build, the Wine prefix')
    .addOption(arch())
    .addOption(prefix())
    .option('--force', 'build the Wine prefix again')
    .option('--json', 'print one JSON document when ready (the project, its prefix, versions, step timings)')
    .action(async (o: TestbedOptions & JsonFlag) => setExit(await act('setup', o)));
  testbed.command('status')
    .description('say what is there and what is missing (exit 0 when ready, 3 when not)')
    .addOption(arch())
    .addOption(prefix())
    .option('--json', 'print one JSON document')
    .action(async (o: TestbedOptions & JsonFlag) => setExit(await act('status', o)));
  testbed.command('run')
    .description("run a script (.js .cjs .mjs, or .ts .mts .cts through Node 22's type stripping) with Windows node under Wine; exits with its exit code")
    .argument('<script>', 'the script, relative to the current folder')
    .argument('[args...]', "the script's own arguments (options after <script> are passed on too)")
    .addOption(arch())
    .addOption(prefix())
    .option('--serve <dir>', 'serve this folder on 127.0.0.1 during the run; its URL is in TESTBED_SERVE_URL')
    .option('--scratch <dir>', 'the scratch folder whose Windows path (Z:\\…) is in TESTBED_SCRATCH_DIR (default: a temporary one, deleted after the run)')
    .option('--timeout <seconds>', 'stop the script after this many seconds (exit code 124; default 900, or TESTBED_TIMEOUT)')
    .passThroughOptions()
    .action(async (script: string, args: string[], o: TestbedOptions) => setExit(await act('run', { ...o, script, args })));
  testbed.command('clean')
    .description("stop the project's Wine processes and delete its prefix and logs (downloads stay cached)")
    .addOption(prefix())
    .option('--all', 'delete the whole per-user test bed cache, every project\'s prefix with it')
    .action(async (o: TestbedOptions) => setExit(await act('clean', o)));
}
