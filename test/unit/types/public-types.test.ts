/**
 * The published declarations, as a consumer's `tsc` sees them (issue 20, "types that cannot lie"):
 * the build's .d.ts files are installed in a scratch project and a consumer file that asserts
 * exact types is compiled against them with `strict` and `skipLibCheck: false`.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { skipUnderWine } from '../../support/platform';

const root = path.resolve(__dirname, '../../..');
const tsc = require.resolve('typescript/bin/tsc');

/** Each line asserts something; a wrong type is a compile error, an unused @ts-expect-error too. */
const CONSUMER = `
import {
  BackgroundCopyJob, BackgroundCopyManager, CostFlags, DODownloadState, DownloadFailedError, FileAclFlags, HResultError, JobFailedError, JobState,
  NotifyFlags, PeerCachingFlags, RedirectPolicy, SecurityFlags, TransferFailedError, hresultIs, type JobError,
} from 'delivery-optimization';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function assertType<T extends true>(): void {}

export function states(error: unknown): boolean {
  if (error instanceof JobFailedError) {
    assertType<Equal<typeof error.state, JobState>>();
    assertType<Equal<typeof error.stateName, string>>();
    assertType<Equal<typeof error.jobError, Awaited<ReturnType<BackgroundCopyJob['getError']>>>>();
    assertType<Equal<typeof error.jobError, JobError | null>>();
    return error.state === JobState.Error;
  }
  if (error instanceof DownloadFailedError) {
    assertType<Equal<typeof error.state, DODownloadState>>();
    return error.state === DODownloadState.Aborted;
  }
  if (error instanceof TransferFailedError) return error.stateName === 'ERROR';
  return false;
}

export function internals(job: BackgroundCopyJob, manager: BackgroundCopyManager): void {
  // @ts-expect-error addCheckedFile is @internal
  void job.addCheckedFile;
  // @ts-expect-error waitChecked is @internal
  void job.waitChecked;
  // @ts-expect-error downloadChecked is @internal
  void manager.downloadChecked;
  // @ts-expect-error the job's pointer is @internal
  void job.jobPtr;
  // @ts-expect-error the job's ordered calls are private
  void job.live;
}

export async function flags(job: BackgroundCopyJob): Promise<void> {
  // Named flags, no hex: each enum has its All mask, the one the API's validation uses.
  await job.setSecurityFlags(SecurityFlags.IgnoreUnknownCa | RedirectPolicy.Disallow);
  await job.setFileAclFlags(FileAclFlags.All);
  await job.setPeerCachingFlags(PeerCachingFlags.EnableClient | PeerCachingFlags.EnableServer);
  await job.setNotifyFlags(NotifyFlags.JobTransferred | NotifyFlags.JobError);
  assertType<Equal<typeof SecurityFlags.All, SecurityFlags.All>>();
  const cost: number = CostFlags.All;
  void cost;
}

export async function hover(job: BackgroundCopyJob): Promise<void> {
  await job.getError();
}

export function codes(hr: number, error: HResultError): boolean {
  // @ts-expect-error a typo never matches, so it does not compile
  hresultIs(hr, 'BG_E_EMTPY');
  assertType<Equal<string extends typeof error.code ? true : false, false>>();
  assertType<Equal<'BG_E_HTTP_ERROR_404' extends typeof error.code ? true : false, true>>();
  return hresultIs(hr, 'BG_E_EMPTY', 'DO_E_JOB_EMPTY') || error.code === 'E_ACCESSDENIED';
}
`;

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-types-'));
  const pkg = path.join(dir, 'node_modules', 'delivery-optimization');
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', path.join(pkg, 'dist'), '--emitDeclarationOnly'], { cwd: root, stdio: 'pipe' });
  fs.copyFileSync(path.join(root, 'package.json'), path.join(pkg, 'package.json'));
  // The package's own dependencies, as npm would install them beside it.
  const { dependencies } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of Object.keys(dependencies)) fs.symlinkSync(path.join(root, 'node_modules', name), path.join(dir, 'node_modules', name), process.platform === 'win32' ? 'junction' : 'dir'); // a junction needs no privilege on Windows
  fs.writeFileSync(path.join(dir, 'consumer.ts'), CONSUMER);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, skipLibCheck: false, noEmit: true, module: 'node16', moduleResolution: 'node16', target: 'ES2022',
      lib: ['ES2022', 'ESNext.Disposable'], types: ['node'], typeRoots: [path.join(root, 'node_modules', '@types')],
    },
    files: ['consumer.ts'],
  }));
}, 120_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** What an editor shows on hover at the first `marker` of consumer.ts (the TypeScript language service). */
function hoverText(marker: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const file = path.join(dir, 'consumer.ts');
  const config = ts.getParsedCommandLineOfConfigFile(path.join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const host: import('typescript').LanguageServiceHost = {
    getScriptFileNames: () => config.fileNames,
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => (fs.existsSync(name) ? ts.ScriptSnapshot.fromString(fs.readFileSync(name, 'utf8')) : undefined),
    getCurrentDirectory: () => dir,
    getCompilationSettings: () => config.options,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
  };
  const service = ts.createLanguageService(host);
  const info = service.getQuickInfoAtPosition(file, CONSUMER.indexOf(marker) + 1);
  return ts.displayPartsToString(info?.displayParts ?? []);
}

skipUnderWine('Wine makes no directory junction (ENOTSUP) for the consumer project').test('the hover on job.getError names BackgroundCopyJob, and the job\'s only base is the disposal base ComResource (no JobCore/JobSettings/JobHttpOptions layer)', () => {
  expect(hoverText('getError();')).toMatch(/^\(method\) BackgroundCopyJob\.getError\(/);
  const declarations = fs.readFileSync(path.join(dir, 'node_modules', 'delivery-optimization', 'dist', 'api', 'job.d.ts'), 'utf8');
  expect(declarations).toMatch(/export declare class BackgroundCopyJob extends ComResource \{/);
  const emitted = fs.readdirSync(path.join(dir, 'node_modules', 'delivery-optimization', 'dist', 'api')).filter((f) => f.endsWith('.d.ts'));
  const layers = emitted.filter((f) => /declare (abstract )?class (JobCore|JobSettings|JobHttpOptions)\b/.test(fs.readFileSync(path.join(dir, 'node_modules', 'delivery-optimization', 'dist', 'api', f), 'utf8')));
  expect(layers).toEqual([]);
}, 120_000);

skipUnderWine('Wine makes no directory junction (ENOTSUP) for the consumer project').test('a consumer sees honest types: JobFailedError.state is the JobState, jobError is getError()\'s type, no @internal member, codes from the table', () => {
  let output = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', dir], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? error);
  }
  expect(output).toBe('');
}, 120_000);
