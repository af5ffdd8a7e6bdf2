/**
 * Issue 26: an unknown command exits 2 whatever its options (`nosuch --help` exited 0 with the main
 * help, so a script could not tell a missing command from a present one), and lists the commands.
 */
import { execFile } from 'child_process';
import * as path from 'path';
import { cli, json } from './helpers';

const BIN = path.resolve(__dirname, '../../../bin/delivery-optimization.js');

function runBin(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe('through the real bin', () => {
  test.each([
    [['nosuchcommand', '--help']],
    [['help', 'nosuchcommand']],
    [['nosuchcommand', '--version']],
  ])('%j → exit 2, the error and the list of commands on stderr, no help on stdout', async (args) => {
    const r = await runBin(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown command 'nosuchcommand'");
    expect(r.stderr).toMatch(/^Commands: download, .*\bexplain\b.*$/m);
    expect(r.stdout).toBe('');
  }, 120_000);

  test('a known command with --help still exits 0', async () => {
    const r = await runBin(['explain', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: delivery-optimization explain');
  }, 120_000);
});

describe('in process', () => {
  test.each([
    [['--help', 'nosuchcommand']],
    [['-V', 'nosuchcommand']],
    [['nosuchcommand', 'download', '--help']],
    [['nosuchcommand']],
  ])('%j → exit 2 with the list of commands', async (args) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'nosuchcommand'");
    expect(r.stderr).toMatch(/^Commands: download, /m);
  });

  test('a near miss keeps commander\'s suggestion', async () => {
    const r = await cli(['downlaod', '--help']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('(Did you mean download?)');
  });

  test('--json: the JSON document says the same (ok false, exit code 2)', async () => {
    const r = await cli(['nosuchcommand', '--help', '--json']);
    expect(r.code).toBe(2);
    expect(json(r)).toMatchObject({ ok: false, error: { name: 'UsageError', exitCode: 2, message: expect.stringContaining("unknown command 'nosuchcommand'") } });
  });
});
