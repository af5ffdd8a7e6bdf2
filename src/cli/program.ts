/** The command line: commander definitions that hand over to one function per command. */
import { Command, Option } from 'commander';
import type { CliContext } from './context';
import { EXIT_CODE_TABLE } from './exit-codes';
import { BIN_ALIAS, BIN_NAME } from './names';
import { PRIORITIES, parseJobId, priorityValue, type PriorityName } from './args';
import { PROGRESS_MODES, type ProgressMode } from './progress';
import type { ControlAction } from './commands/control';

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * Command modules load when their command runs: `explain` then never loads the service layer,
 * and no command pays for another's dependencies (bench:startup).
 */
const commands = {
  download: () => require('./commands/download') as typeof import('./commands/download'),
  list: () => require('./commands/list') as typeof import('./commands/list'),
  show: () => require('./commands/show') as typeof import('./commands/show'),
  control: () => require('./commands/control') as typeof import('./commands/control'),
  watch: () => require('./commands/watch') as typeof import('./commands/watch'),
  explain: () => require('./commands/explain') as typeof import('./commands/explain'),
  doctor: () => require('./commands/doctor') as typeof import('./commands/doctor'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface JsonFlag { json?: boolean }
interface ServiceFlags extends JsonFlag { bits?: boolean }

const CONTROL_HELP: Record<ControlAction, string> = {
  resume: 'start or restart a job (also retries a job in ERROR)',
  suspend: 'pause a job (E_NOTIMPL on Wine)',
  cancel: 'cancel a job and delete its temporary files',
  complete: 'finish a TRANSFERRED job: its files get their names',
};

function exitCodesHelp(): string {
  return ['', 'Exit codes:', ...EXIT_CODE_TABLE.map(([code, what]) => `  ${String(code).padStart(3)}  ${what}`)].join('\n');
}

/**
 * Builds a fresh program for one run (commander keeps parsed values on the objects). Each
 * action stores its exit code with `setExit`.
 */
export function buildProgram(ctx: CliContext, version: string, setExit: (code: number) => void): Command {
  const program = new Command(BIN_NAME)
    .description(`Downloads with Windows Delivery Optimization or BITS, and explains their error codes (alias: ${BIN_ALIAS}).`)
    .version(version, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void ctx.stdout.write(s), writeErr: (s) => void ctx.stderr.write(s) })
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError(true)
    .addHelpText('after', exitCodesHelp());

  const begin = (command: string, options: JsonFlag) => {
    ctx.command = command;
    ctx.json = options.json === true;
  };
  const bits = () => new Option('--bits', 'use BITS instead of Delivery Optimization');
  const json = () => new Option('--json', 'print one JSON document on stdout (see docs/cli.md)');
  const progress = () => new Option('--progress <mode>', 'progress output: bar, plain lines, or none (default: auto = bar on a terminal, plain otherwise; none with --json)').choices(PROGRESS_MODES);

  program.command('download')
    .description('download a URL to a file, with a progress bar; Ctrl-C cancels the job')
    .argument('<url>', 'http:// or https:// URL')
    .argument('<dest>', 'destination file (relative paths are resolved here; a folder gets the URL\'s file name)')
    .addOption(bits())
    .addOption(new Option('--priority <level>', 'job priority').choices(PRIORITIES))
    .option('--no-complete', 'leave the job TRANSFERRED instead of completing it (finish it later with `complete`)')
    .option('--name <displayName>', 'job display name')
    .addOption(progress())
    .addOption(json())
    .action(async (url: string, dest: string, o: ServiceFlags & { priority?: PriorityName; complete: boolean; name?: string; progress?: ProgressMode }) => {
      begin('download', o);
      setExit(await commands.download().downloadCommand(ctx, url, dest, {
        bits: o.bits, priority: priorityValue(o.priority), complete: o.complete, json: o.json, progress: o.progress, displayName: o.name,
      }));
    });

  program.command('list')
    .description("list your jobs (every user's with --all-users, as administrator)")
    .option('--all-users', "all users' jobs (needs administrator rights)")
    .addOption(bits())
    .addOption(json())
    .action(async (o: ServiceFlags & { allUsers?: boolean }) => {
      begin('list', o);
      setExit(await commands.list().listCommand(ctx, o));
    });

  program.command('show')
    .description('show a job: state, bytes, files, times, and its JobError')
    .argument('<id>', 'job id (GUID)', parseJobId)
    .addOption(bits())
    .addOption(json())
    .action(async (id: string, o: ServiceFlags) => {
      begin('show', o);
      setExit(await commands.show().showCommand(ctx, id, o));
    });

  for (const action of Object.keys(CONTROL_HELP) as ControlAction[]) {
    program.command(action)
      .description(CONTROL_HELP[action])
      .argument('<id>', 'job id (GUID)', parseJobId)
      .addOption(bits())
      .addOption(json())
      .action(async (id: string, o: ServiceFlags) => {
        begin(action, o);
        setExit(await commands.control().controlCommand(ctx, action, id, o));
      });
  }

  program.command('watch')
    .description('follow a job until it is TRANSFERRED, ACKNOWLEDGED, CANCELLED or in ERROR; Ctrl-C stops watching')
    .argument('<id>', 'job id (GUID)', parseJobId)
    .addOption(bits())
    .addOption(progress())
    .addOption(new Option('--json', 'print NDJSON: a line per change, then an "end" line'))
    .action(async (id: string, o: ServiceFlags & { progress?: ProgressMode }) => {
      begin('watch', o);
      setExit(await commands.watch().watchCommand(ctx, id, o));
    });

  program.command('explain')
    .description('explain an HRESULT (hex or decimal, signed or unsigned, or a name); works offline on any OS')
    .argument('<hresult>', 'e.g. 0x80d03002, 80D03002, -2133839870, 2161127426, BG_E_HTTP_ERROR_404')
    .addOption(json())
    .action((code: string, o: JsonFlag) => {
      begin('explain', o);
      setExit(commands.explain().explainCommand(ctx, code, o));
    });

  program.command('doctor')
    .description('check this machine: platform, koffi, COM apartment, and whether each service can be activated')
    .addOption(json())
    .action(async (o: JsonFlag) => {
      begin('doctor', o);
      setExit(await commands.doctor().doctorCommand(ctx, o));
    });

  return program;
}
