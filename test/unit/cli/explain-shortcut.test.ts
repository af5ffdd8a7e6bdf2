/**
 * `explain <code> [--json]` skips commander (src/cli/main.ts `plainExplain`, for start-up). The
 * same command line with `--` before the code goes through commander: both must print the same
 * bytes and end with the same exit code, for every input form and for inputs that fail.
 */
import { plainExplain } from '../../../src/cli/main';
import { cli } from './helpers';

const INPUTS = [
  '0x80d03002', '80200002', '2161127426', 'DO_E_JOB_NOT_FOUND', 'bg_e_http_error_418', '0x8ABC1234',
  '0x80070001', '12345', '', 'not-a-code', '0x1FFFFFFFF',
];

describe('explain without commander gives what commander gives', () => {
  test.each(INPUTS)('%p, human and --json', async (input) => {
    for (const json of [[], ['--json']]) {
      const plain = await cli(['explain', input, ...json]);
      const viaCommander = await cli(['explain', ...json, '--', input]);
      expect(plainExplain(['explain', input, ...json])).not.toBeNull(); // the shortcut really ran ...
      expect(plainExplain(['explain', ...json, '--', input])).toBeNull(); // ... and commander the other
      expect(plain).toEqual(viaCommander);
    }
  });

  test('the failing input fails alike: usage error, exit code and message', async () => {
    const r = await cli(['explain', 'not-a-code']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/'not-a-code' is not an HRESULT/);
  });
});

describe('what the shortcut takes, and what it leaves to commander', () => {
  test.each([
    [['explain', '0x80070005'], { code: '0x80070005', json: false }],
    [['explain', '0x80070005', '--json'], { code: '0x80070005', json: true }],
    [['explain', '--json', 'E_ACCESSDENIED'], { code: 'E_ACCESSDENIED', json: true }],
  ])('%j is run directly', (argv, expected) => {
    expect(plainExplain(argv)).toEqual(expected);
  });

  test.each([
    [[]], [['explain']], [['explain', '--help']], [['explain', '-h']], [['explain', '-2133839870']],
    [['explain', 'a', 'b']], [['explain', '--json', '--json', 'a']], [['explain', '--jsn', 'a']],
    [['explain', '--', 'a']], [['show', 'a']], [['--json', 'explain', 'a']],
  ])('%j goes through commander', (argv) => {
    expect(plainExplain(argv)).toBeNull();
  });

  test('help, a negative decimal and too many arguments still behave as commander makes them', async () => {
    expect((await cli(['explain', '--help'])).stdout).toMatch(/Usage: delivery-optimization explain \[options\] <hresult>/);
    expect((await cli(['explain', '-2133839870'])).stdout).toMatch(/^DO_E_NO_DOWNLOAD_EXTSETTINGS {2}0x80D03002/);
    const extra = await cli(['explain', 'a', 'b']);
    expect(extra.stderr).toMatch(/too many arguments for 'explain'/);
  });
});
