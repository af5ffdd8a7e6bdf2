/** Argument parsing: good values reach the commands, bad ones exit 2 with one line and no stack. */
import { JobPriority } from '../../../src/bits';
import { priorityValue } from '../../../src/cli/args';
import { parseJobRef } from '../../../src/cli/job-ref';
import { checkUrl, resolveDestination } from '../../../src/cli/commands/download';
import { UsageError } from '../../../src/cli/usage';
import { cli, expectNoStack, failingConnect, json } from './helpers';
import { skipOnWindows } from '../../support/platform';

const never = failingConnect(new Error('must not connect'));
const ID = '0fe5563c-2db5-466d-bb2f-8d0850ff99e4';

describe('bad arguments → exit 2, one message line, no stack', () => {
  test.each([
    ['no command', [], /Usage: delivery-optimization/],
    ['unknown command', ['downlaod'], /unknown command 'downlaod'[\s\S]*Did you mean download\?/],
    ['unknown option', ['list', '--frob'], /unknown option '--frob'/],
    ['missing argument', ['download', 'http://x/y'], /expected <url> <dest> pairs, got 1 argument/],
    ['nothing to download', ['download'], /nothing to download: give <url> <dest> pairs or --from-file/],
    ['an odd number of arguments', ['download', 'http://x/a', 'a.bin', 'http://x/b'], /got 3 arguments \(the last URL has no destination\)/],
    ['too many arguments', ['explain', '1', '2'], /too many arguments/],
    ['bad priority', ['download', 'http://x/y', 'C:\\y', '--priority', 'urgent'], /argument 'urgent' is invalid\. Allowed choices are foreground, high, normal, low/],
    ['bad progress mode', ['download', 'http://x/y', 'C:\\y', '--progress', 'fancy'], /Allowed choices are auto, bar, plain, none/],
    ['a name where only an id works (IDO downloads have none)', ['show', '123', '--api', 'ido'], /--api ido takes a download id \(GUID\), not a name/],
    ['empty job (cancel: an id or a display name)', ['cancel', ' '], /expected a job id \(GUID\) or a display name/],
    ['ftp URL', ['download', 'ftp://host/file', '/tmp/x'], /uses the scheme ftp, but Delivery Optimization takes an http:\/\/ or https:\/\/ URL \(UNC paths, drive paths and file:\/\/ URLs need BITS: --bits\)/],
    ['relative URL', ['download', 'file.bin', '/tmp/x'], /must be an http:\/\/ or https:\/\/ URL/],
    ['empty destination', ['download', 'http://x/y', ' '], /destination must not be empty/],
    ['not an HRESULT', ['explain', 'banana'], /'banana' is not an HRESULT/],
    ['HRESULT out of range', ['explain', '0x123456789'], /is not an HRESULT/],
  ])('%s', async (_name, argv, message) => {
    const r = await cli(argv, { connect: never });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/must not connect/);
    expectNoStack(r.stdout + r.stderr);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error:'))).toHaveLength(r.stderr.includes('error:') ? 1 : 0);
  });

  test('with --json a usage error is also a JSON document', async () => {
    const r = await cli(['show', ' ', '--json'], { connect: never });
    expect(r.code).toBe(2);
    const doc = json(r);
    expect(doc).toMatchObject({ schemaVersion: 1, ok: false, command: 'show', error: { name: 'UsageError', exitCode: 2 } });
  });

  test('a semantic usage error in --json mode is a JSON document', async () => {
    const r = await cli(['explain', 'banana', '--json']);
    expect(r.code).toBe(2);
    expect(json(r)).toMatchObject({ ok: false, command: 'explain', error: { name: 'UsageError', code: 'ERR_USAGE', exitCode: 2 } });
  });
});

describe('help and version exit 0', () => {
  test('--help lists every command and the exit codes', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['download', 'list', 'show', 'resume', 'suspend', 'cancel', 'complete', 'watch', 'explain', 'doctor']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    }
    expect(r.stdout).toMatch(/Exit codes:[\s\S]*130/);
  });

  test('download --help', async () => {
    const r = await cli(['download', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--no-complete/);
    expect(r.stdout).toMatch(/--priority <level>/);
  });

  test('--version prints package.json\'s version', async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('good arguments', () => {
  test('negative decimal HRESULTs are arguments, not options', async () => {
    const r = await cli(['explain', '-2133839870']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/DO_E_NO_DOWNLOAD_EXTSETTINGS/);
  });

  test('job refs: a GUID (braces and case normalised) is an id, anything else a display name', () => {
    expect(parseJobRef(`{${ID.toUpperCase()}}`)).toEqual({ id: ID });
    expect(parseJobRef(`{${ID}`)).toEqual({ name: `{${ID}` });
    expect(() => parseJobRef('  ')).toThrow(/expected a job id/);
  });

  test('priorities map to BG_JOB_PRIORITY', () => {
    expect(priorityValue('foreground')).toBe(JobPriority.Foreground);
    expect(priorityValue('low')).toBe(JobPriority.Low);
    expect(priorityValue(undefined)).toBeUndefined();
  });

  skipOnWindows('expects POSIX absolute paths').test('URLs: http and https only', () => {
    expect(checkUrl('https://example.com/a')).toBe('https://example.com/a');
    expect(() => checkUrl('file:///etc/passwd')).toThrow(UsageError);
    // issue 9 #3: BITS takes UNC paths, drive paths and file:// URLs (BG_FILE_INFO); DO only http(s)
    for (const remote of ['Z:\\dir\\src.txt', '\\\\server\\share\\src.txt', 'file://Z:\\dir\\src.txt']) {
      expect(checkUrl(remote, 'bits')).toBe(remote);
      expect(() => checkUrl(remote, 'delivery-optimization')).toThrow(/Delivery Optimization/);
    }
    expect(() => checkUrl('\\\\.\\PhysicalDrive0', 'bits')).toThrow(UsageError);
    expect(resolveDestination('/dl/', 'Z:\\dir\\src.txt', '/work')).toBe('/dl/src.txt');
  });

  skipOnWindows('expects POSIX absolute paths').test('destinations: relative paths resolve, folders get the URL\'s file name', () => {
    expect(resolveDestination('out.bin', 'http://h/a.bin', '/work')).toBe('/work/out.bin');
    expect(resolveDestination('/abs/x', 'http://h/a.bin', '/work')).toBe('/abs/x');
    expect(resolveDestination('dl/', 'http://h/dir/file%20name.iso?x=1', '/work')).toBe('/work/dl/file name.iso');
    expect(resolveDestination('/tmp', 'http://h/', '/work')).toBe('/tmp/download.bin');
  });

  test('issue 9 #8: a malformed %-escape in the URL\'s file name is a usage error (was: exit 70, internal error: URIError)', async () => {
    const r = await cli(['download', 'http://h/bad%E0%A4%A', 'dir/', '--bits'], { connect: failingConnect(new Error('must not connect')) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('malformed %-escape');
    expect(r.stderr).not.toContain('internal error');
  });
});
