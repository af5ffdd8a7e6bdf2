/** The command line: commander definitions that hand over to one function per command. */
import { Command, Option } from 'commander';
import * as path from 'path';
import type { CliContext } from './context';
import { EXIT_CODE_TABLE } from './exit-codes';
import { BIN_ALIAS, BIN_NAME } from './names';
import { API_CHOICES, parseRefresh } from './args';
import { PROGRESS_MODES, type ProgressMode } from './progress';
import { UsageError } from './usage';
import type { ApiChoice } from './commands/api-download';
import type { ControlAction } from './commands/control';
import { parseJobRef, type JobRef } from './job-ref';
import { JOB_KINDS, type JobKind } from './job-kind';
import { pairsFromArgs, pairsFromFile } from './file-list';
import { addSettingOptions, settingNames, settingsFromFlags, type SettingFlags } from './settings';
import { addIdoOptions, idoFlagNames, idoSettingsFrom, type IdoFlags } from './ido-settings';
import { addTestbed } from './program-testbed';

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * Command modules load when their command runs: `explain` then never loads the service layer,
 * and no command pays for another's dependencies (bench:startup).
 */
const commands = {
  download: () => require('./commands/download') as typeof import('./commands/download'),
  apiDownload: () => require('./commands/api-download') as typeof import('./commands/api-download'),
  list: () => require('./commands/list') as typeof import('./commands/list'),
  show: () => require('./commands/show') as typeof import('./commands/show'),
  control: () => require('./commands/control') as typeof import('./commands/control'),
  cancelAll: () => require('./commands/cancel-all') as typeof import('./commands/cancel-all'),
  set: () => require('./commands/set') as typeof import('./commands/set'),
  watch: () => require('./commands/watch') as typeof import('./commands/watch'),
  monitor: () => require('./commands/monitor') as typeof import('./commands/monitor'),
  ido: () => require('./commands/ido-downloads') as typeof import('./commands/ido-downloads'),
  listAll: () => require('./commands/list-all') as typeof import('./commands/list-all'),
  explain: () => require('./commands/explain') as typeof import('./commands/explain'),
  doctor: () => require('./commands/doctor') as typeof import('./commands/doctor'),
  create: () => require('./commands/create') as typeof import('./commands/create'),
  resume: () => require('./commands/resume') as typeof import('./commands/resume'),
  replacePrefix: () => require('./commands/replace-prefix') as typeof import('./commands/replace-prefix'),
  upload: () => require('./commands/upload') as typeof import('./commands/upload'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface JsonFlag { json?: boolean }
interface ServiceFlags extends JsonFlag { bits?: boolean }

/** `--api` of the commands that read or steer existing jobs: whose jobs. */
const JOB_APIS = ['bits-style', 'bits', 'ido'] as const;
type JobApi = (typeof JOB_APIS)[number];
interface JobApiFlags extends ServiceFlags { api?: JobApi }
const jobApi = () => new Option('--api <api>', "whose jobs: bits-style (Delivery Optimization's BITS-style jobs, the default), bits (as --bits), or ido (Delivery Optimization's own downloads, IDO API)").choices(JOB_APIS);

/** An IDO download is addressed by its id only (IDO downloads have no display name to match). */
function idoId(ref: JobRef): string {
  if (ref.id === undefined) throw new UsageError(`--api ido takes a download id (GUID), not a name ('${ref.name}'): \`list --api ido\` shows the ids`);
  return ref.id;
}

/** The API `--api` and `--bits` name together (they must agree). */
function apiOf(o: JobApiFlags): JobApi {
  if (o.bits && o.api !== undefined && o.api !== 'bits') throw new UsageError(`--bits and --api ${o.api} contradict each other`);
  return o.api ?? (o.bits ? 'bits' : 'bits-style');
}

const CONTROL_HELP: Record<ControlAction, string> = {
  resume: 'start or restart a job (also retries a job in ERROR)',
  suspend: 'pause a job (E_NOTIMPL on Wine)',
  cancel: 'cancel a job and delete its temporary files',
  complete: 'finish a TRANSFERRED job: its files get their names',
  'take-ownership': "make a job yours: it then runs with your credentials (an administrator taking over another user's job)",
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
    .addHelpText('after', exitCodesHelp())
    // options after a command's name are that command's: `testbed run x.ts -V` passes -V to the script
    .enablePositionalOptions();

  const begin = (command: string, options: JsonFlag) => {
    ctx.command = command;
    ctx.json = options.json === true;
  };
  const bits = () => new Option('--bits', 'use BITS instead of Delivery Optimization');
  const json = () => new Option('--json', 'print one JSON document on stdout (see docs/cli.md)');
  const progress = () => new Option('--progress <mode>', 'progress output: bar, plain lines, or none (default: auto = bar on a terminal, plain otherwise; none with --json)').choices(PROGRESS_MODES);

  const download = program.command('download')
    .description('download URLs to files in one job, with a progress bar; Ctrl-C cancels the job')
    .usage('[options] <url> <dest> [<url> <dest>...]  |  --from-file <list.csv|list.tsv>')
    .argument('[url-dest...]', '<url> <dest> pairs: http(s) URL, then the destination file (relative paths resolve here; a folder gets the URL\'s file name)')
    .option('-o, --output <dest>', 'the destination of a single <url> given alone; - streams the bytes to stdout')
    .addOption(new Option('--api <api>', 'ido (DO IDOManager, Windows 10 1809+), bits-style (DO, 1709+), bits, or auto (the first one there is)').choices(API_CHOICES))
    .option('--from-file <list>', 'read <url>,<dest> rows from a CSV or TSV file (a header row such as Source,Destination is skipped)')
    .addOption(bits())
    .option('--no-complete', 'leave the job TRANSFERRED instead of completing it (finish it later with `complete`)')
    .option('--name <displayName>', 'job display name')
    .option('--async', 'create the job, start it, print its id and return: the job goes on without this process (`resume --wait <job>` follows it later); Ctrl-C never cancels it')
    .option('--suspended', 'create the job with its files and settings, print its id and return without starting it (`resume <job>` starts it)')
    .addOption(progress())
    .addOption(json());
  addIdoOptions(addSettingOptions(download))
    .action(async (args: string[], o: ServiceFlags & SettingFlags & IdoFlags & {
      fromFile?: string; complete: boolean; name?: string; progress?: ProgressMode; output?: string; api?: ApiChoice; async?: boolean; suspended?: boolean;
    }) => {
      begin('download', o);
      const queue = queueMode(o);
      if (o.output !== undefined && args.length !== 1) throw new UsageError('-o/--output goes with exactly one <url> (and no <dest>)');
      const pairs = o.output !== undefined
        ? [{ url: args[0], dest: o.output }]
        : [...pairsFromArgs(args), ...(o.fromFile !== undefined ? pairsFromFile(path.resolve(ctx.cwd, o.fromFile)) : [])];
      const settings = await settingsFromFlags(o, ctx.env, ctx.prompter);
      if (o.bits && o.api !== undefined && o.api !== 'bits') throw new UsageError(`--bits and --api ${o.api} contradict each other`);
      if (o.api === 'ido' || o.api === 'auto' || pairs.some((p) => p.dest === '-')) {
        // download(): one URL, the API chosen by the library; job settings belong to BITS-style jobs.
        if (pairs.length !== 1) throw new UsageError(`--api ${o.api ?? ''} and -o - take one URL`.replace('  ', ' '));
        if (queue) throw new UsageError(`--${queue} makes a BITS-style job: not with ${o.api !== undefined ? `--api ${o.api}` : '-o -'}`);
        const api = o.api ?? (o.bits ? 'bits' : 'bits-style');
        // --api ido: the settings with an IDO property (others refused by name); auto and -o - take none.
        const ido = api === 'ido' ? idoSettingsFrom(settings, o) : undefined;
        const names = api === 'ido' ? [] : [...settingNames(settings), ...idoFlagNames(o)];
        if (names.length > 0) throw new UsageError(`${names.join(', ')}: job settings apply to BITS-style jobs (and --api ido), not to --api ${o.api ?? 'with -o -'}`);
        setExit(await commands.apiDownload().apiDownloadCommand(ctx, pairs[0].url, pairs[0].dest, { api, json: o.json, progress: o.progress, displayName: o.name, ido }));
        return;
      }
      const idoOnly = idoFlagNames(o);
      if (idoOnly.length > 0) throw new UsageError(`${idoOnly.join(', ')} go with --api ido`);
      setExit(await commands.download().downloadCommand(ctx, pairs, {
        bits: o.bits || o.api === 'bits', settings, complete: o.complete, json: o.json, progress: o.progress, displayName: o.name, queue,
      }));
    });

  const set = program.command('set')
    .description("change an existing job's settings (name, priority, headers, proxy, timeouts, credentials)")
    .argument('<job>', 'job id (GUID), or its display name (wildcards * ? [a-z], case-insensitive; must match one job)', parseJobRef)
    .option('--name <displayName>', 'job display name')
    .addOption(bits())
    .addOption(json());
  addSettingOptions(set)
    .action(async (ref: JobRef, o: ServiceFlags & SettingFlags & { name?: string }) => {
      begin('set', o);
      const settings = await settingsFromFlags(o, ctx.env, ctx.prompter);
      setExit(await commands.set().setCommand(ctx, ref, { bits: o.bits, json: o.json, settings, displayName: o.name }));
    });

  program.command('list')
    .description("list your jobs (every user's with --all-users, as administrator)")
    .option('--all-users', "all users' jobs (needs administrator rights)")
    .option('--name <wildcard>', 'only jobs whose display name matches (* any run, ? one character, [a-z] a set; case-insensitive)')
    .addOption(bits())
    .addOption(new Option('--api <api>', "whose jobs: bits-style (the default), bits (as --bits), ido (Delivery Optimization's own downloads), or all (every API there is, with an API column)").choices([...JOB_APIS, 'all']))
    .addOption(json())
    .action(async (o: Omit<JobApiFlags, 'api'> & { api?: JobApi | 'all'; allUsers?: boolean; name?: string }) => {
      begin('list', o);
      if (o.api === 'all') {
        if (o.bits) throw new UsageError('--bits and --api all contradict each other');
        return setExit(await commands.listAll().listAllCommand(ctx, o));
      }
      const api = apiOf({ ...o, api: o.api });
      if (api === 'ido') {
        if (o.allUsers) throw new UsageError("--all-users with --api ido: the IDO API lists only the caller's downloads");
        return setExit(await commands.ido().idoListCommand(ctx, o));
      }
      setExit(await commands.list().listCommand(ctx, { ...o, bits: api === 'bits' }));
    });

  program.command('show')
    .description('show a job: state, bytes, files, times, and its JobError (--verbose: every setting too)')
    .argument('<job>', 'job id (GUID), or its display name (wildcards * ? [a-z], case-insensitive; must match one job)', parseJobRef)
    .addOption(bits())
    .option('-v, --verbose', 'print every setting the service reports (flags by name; header values never)')
    .addOption(jobApi())
    .addOption(json())
    .action(async (ref: JobRef, o: JobApiFlags & { verbose?: boolean }) => {
      begin('show', o);
      const api = apiOf(o);
      if (api === 'ido') return setExit(await commands.ido().idoShowCommand(ctx, idoId(ref), o));
      setExit(await commands.show().showCommand(ctx, ref, { ...o, bits: api === 'bits' }));
    });

  addLifecycle(program, ctx, begin, setExit);

  program.command('watch')
    .description('follow a job until it is TRANSFERRED, ACKNOWLEDGED, CANCELLED or in ERROR; Ctrl-C stops watching')
    .argument('<job>', 'job id (GUID), or its display name (wildcards * ? [a-z], case-insensitive; must match one job)', parseJobRef)
    .addOption(bits())
    .addOption(jobApi())
    .addOption(progress())
    .addOption(new Option('--json', 'print NDJSON: a line per change, then an "end" line'))
    .action(async (ref: JobRef, o: JobApiFlags & { progress?: ProgressMode }) => {
      begin('watch', o);
      const api = apiOf(o);
      if (api === 'ido') return setExit(await commands.ido().idoWatchCommand(ctx, idoId(ref), o));
      setExit(await commands.watch().watchCommand(ctx, ref, { ...o, bits: api === 'bits' }));
    });

  program.command('monitor')
    .description('every job\'s state and progress, refreshed until Ctrl-C (one screen on a terminal, a line per change off one); never touches a job')
    .option('--all-users', "all users' jobs (needs administrator rights)")
    .addOption(new Option('--refresh <period>', 'time between two reads: 5, 5s, 500ms, 1m (100ms to 24h)').argParser(parseRefresh).default(5000, '5s'))
    .addOption(bits())
    .addOption(new Option('--json', 'print NDJSON: a line per job that shows, changes or goes'))
    .action(async (o: ServiceFlags & { allUsers?: boolean; refresh: number }) => {
      begin('monitor', o);
      setExit(await commands.monitor().monitorCommand(ctx, { bits: o.bits, allUsers: o.allUsers, refreshMs: o.refresh, json: o.json }));
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

  addTestbed(program, ctx, begin, setExit);
  return program;
}

/** `download --async` / `--suspended`, checked before anything is created. */
function queueMode(o: { async?: boolean; suspended?: boolean; progress?: ProgressMode; complete: boolean }): 'async' | 'suspended' | undefined {
  if (o.async && o.suspended) throw new UsageError('--async starts the job and --suspended does not: give one of them');
  const queue = o.async ? 'async' : o.suspended ? 'suspended' : undefined;
  if (queue && o.progress !== undefined && o.progress !== 'none') throw new UsageError(`--${queue} returns at once, so there is no progress to show: --progress ${o.progress} does not go with it`);
  if (queue && !o.complete) throw new UsageError(`--${queue} does not complete the job anyway (\`resume --wait --no-complete\` does that part)`);
  return queue;
}

/**
 * The job life cycle (issue 21): `create`, `add`, `resume [--wait]`, `suspend`, `complete`,
 * `cancel`, `take-ownership`, `replace-prefix`, `upload`, `upload-reply`. <job> is an id or a display name.
 */
function addLifecycle(program: Command, ctx: CliContext, begin: (command: string, options: JsonFlag) => void, setExit: (code: number) => void): void {
  const bits = () => new Option('--bits', 'use BITS instead of Delivery Optimization');
  const json = () => new Option('--json', 'print one JSON document on stdout (see docs/cli.md)');
  const progress = () => new Option('--progress <mode>', 'progress output: bar, plain lines, or none (default: auto = bar on a terminal, plain otherwise; none with --json)').choices(PROGRESS_MODES);
  const JOB = ['<job>', 'job id (GUID), or its display name (wildcards * ? [a-z], case-insensitive; must match one job)', parseJobRef] as const;

  const create = program.command('create')
    .description('create a job (SUSPENDED) with its settings and, if given, its files; prints its id (start it with `resume`)')
    .argument('[url-local...]', '<url> <local> pairs: the remote name, then the local file (a download\'s destination, an upload\'s source)')
    .addOption(new Option('--type <type>', 'the kind of job').choices(JOB_KINDS).default('download'))
    .option('--from-file <list>', 'read <url>,<local> rows from a CSV or TSV file (as `download --from-file`)')
    .option('--name <displayName>', 'job display name')
    .option('--reply-file <path>', 'upload-reply: where BITS writes the reply (default: a name BITS picks)')
    .addOption(bits())
    .addOption(json());
  addSettingOptions(create)
    .action(async (args: string[], o: ServiceFlags & SettingFlags & { type: JobKind; fromFile?: string; name?: string; replyFile?: string }) => {
      begin('create', o);
      const pairs = [...pairsFromArgs(args), ...(o.fromFile !== undefined ? pairsFromFile(path.resolve(ctx.cwd, o.fromFile)) : [])];
      if (o.replyFile !== undefined && o.type !== 'upload-reply') throw new UsageError('--reply-file goes with --type upload-reply');
      const replyFile = o.replyFile === undefined ? undefined : path.resolve(ctx.cwd, o.replyFile);
      const settings = await settingsFromFlags(o, ctx.env, ctx.prompter);
      setExit(await commands.create().createCommand(ctx, pairs, { bits: o.bits, json: o.json, kind: o.type, displayName: o.name, settings, replyFile }));
    });

  program.command('add')
    .description("add files to a job that has not started transferring them (an upload job takes one); prints the job's id")
    .argument(...JOB)
    .argument('[url-local...]', '<url> <local> pairs (remote name first, as for `create`)')
    .option('--from-file <list>', 'read <url>,<local> rows from a CSV or TSV file')
    .addOption(bits())
    .addOption(json())
    .action(async (ref: JobRef, args: string[], o: ServiceFlags & { fromFile?: string }) => {
      begin('add', o);
      const pairs = [...pairsFromArgs(args), ...(o.fromFile !== undefined ? pairsFromFile(path.resolve(ctx.cwd, o.fromFile)) : [])];
      if (pairs.length === 0) throw new UsageError('nothing to add: give <url> <local> pairs or --from-file <list>');
      setExit(await commands.create().addCommand(ctx, ref, pairs, o));
    });

  program.command('resume')
    .description(`${CONTROL_HELP.resume}; with --wait, follow it and complete it`)
    .argument(...JOB)
    .option('--wait', 'follow the job with progress until it is TRANSFERRED, then complete it (Ctrl-C stops waiting, the job goes on)')
    .option('--no-complete', 'with --wait: leave the job TRANSFERRED instead of completing it')
    .addOption(progress())
    .addOption(bits())
    .addOption(jobApi())
    .addOption(json())
    .action(async (ref: JobRef, o: JobApiFlags & { wait?: boolean; complete: boolean; progress?: ProgressMode }) => {
      begin('resume', o);
      if (!o.wait && (!o.complete || o.progress !== undefined)) throw new UsageError('--no-complete and --progress go with --wait');
      const api = apiOf(o);
      if (api === 'ido') {
        if (o.wait) throw new UsageError('--wait with --api ido is not offered: `watch --api ido <id>` follows a download');
        return setExit(await commands.ido().idoControlCommand(ctx, 'resume', idoId(ref), o));
      }
      const flags = { ...o, bits: api === 'bits' };
      if (o.wait) return setExit(await commands.resume().resumeWaitCommand(ctx, ref, flags));
      setExit(await commands.control().controlCommand(ctx, 'resume', ref, flags));
    });

  for (const action of ['suspend', 'complete'] as const) {
    program.command(action)
      .description(CONTROL_HELP[action])
      .argument(...JOB)
      .addOption(bits())
      .addOption(jobApi())
      .addOption(json())
      .action(async (ref: JobRef, o: JobApiFlags) => {
        begin(action, o);
        const api = apiOf(o);
        if (api === 'ido') return setExit(await commands.ido().idoControlCommand(ctx, action, idoId(ref), o));
        setExit(await commands.control().controlCommand(ctx, action, ref, { ...o, bits: api === 'bits' }));
      });
  }

  program.command('take-ownership')
    .description(CONTROL_HELP['take-ownership'])
    .argument(...JOB)
    .addOption(bits())
    .addOption(json())
    .action(async (ref: JobRef, o: ServiceFlags) => {
      begin('take-ownership', o);
      setExit(await commands.control().controlCommand(ctx, 'take-ownership', ref, o));
    });

  program.command('cancel')
    .description(CONTROL_HELP.cancel)
    .argument('[job]', JOB[1], parseJobRef)
    .option('--all', 'cancel every job of yours (asks first unless --yes)')
    .option('-y, --yes', 'do not ask for confirmation')
    .addOption(bits())
    .addOption(jobApi())
    .addOption(json())
    .action(async (ref: JobRef | undefined, o: JobApiFlags & { all?: boolean; yes?: boolean }) => {
      begin('cancel', o);
      const api = apiOf(o);
      if (o.all && ref !== undefined) throw new UsageError('give a job or --all, not both');
      if (o.all && api === 'ido') throw new UsageError('--all with --api ido is not offered: cancel IDO downloads one by one (`list --api ido` shows them)');
      if (o.all) return setExit(await commands.cancelAll().cancelAllCommand(ctx, { ...o, bits: api === 'bits' }));
      if (ref === undefined) throw new UsageError('cancel needs a job id or name (or --all)');
      if (api === 'ido') return setExit(await commands.ido().idoControlCommand(ctx, 'cancel', idoId(ref), o));
      setExit(await commands.control().controlCommand(ctx, 'cancel', ref, { ...o, bits: api === 'bits' }));
    });

  program.command('replace-prefix')
    .description("change the start of a job's remote names (a moved server): every URL that begins with <old> begins with <new>")
    .argument(...JOB)
    .argument('<old>', 'the prefix to replace, e.g. http://old-server/share')
    .argument('<new>', 'what replaces it, e.g. https://new-server/share')
    .addOption(bits())
    .addOption(json())
    .action(async (ref: JobRef, oldPrefix: string, newPrefix: string, o: ServiceFlags) => {
      begin('replace-prefix', o);
      setExit(await commands.replacePrefix().replacePrefixCommand(ctx, ref, oldPrefix, newPrefix, o));
    });

  for (const kind of ['upload', 'upload-reply'] as const) {
    const reply = kind === 'upload-reply';
    const command = program.command(kind)
      .description(reply
        ? "upload one file in an upload-reply job and print the server's reply (on stdout; its file with --reply-file); Ctrl-C cancels the job"
        : 'upload one file to a server in an upload job (BITS takes one file per upload job); Ctrl-C cancels the job')
      .argument('<file>', 'the local file to send')
      .argument('<url>', 'where to send it (the server must speak the BITS upload protocol, e.g. IIS with the BITS extension)')
      .option('--name <displayName>', 'job display name');
    if (reply) command.option('--reply-file <path>', 'where BITS writes the reply (default: a name BITS picks; the reply is printed either way)');
    command.addOption(progress()).addOption(bits()).addOption(json());
    addSettingOptions(command)
      .action(async (file: string, url: string, o: ServiceFlags & SettingFlags & { name?: string; replyFile?: string; progress?: ProgressMode }) => {
        begin(kind, o);
        const settings = await settingsFromFlags(o, ctx.env, ctx.prompter);
        const replyFile = o.replyFile === undefined ? undefined : path.resolve(ctx.cwd, o.replyFile);
        setExit(await commands.upload().uploadCommand(ctx, file, url, {
          bits: o.bits, json: o.json, reply, replyFile, displayName: o.name, settings, progress: o.progress,
        }));
      });
  }
}
