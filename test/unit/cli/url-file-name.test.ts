/**
 * Issue 26: a download into a folder takes its file name from the URL; a name Windows cannot hold
 * (control characters after %-decoding, device names, trailing dots or spaces, < > : " / \ | ? *)
 * is refused with the rule it breaks (`…/a%01b` used to write a file whose name held U+0001).
 */
import * as path from 'path';
import { resolveDestination } from '../../../src/cli/commands/download';
import { fileNameFromRemote } from '../../../src/cli/url-file-name';
import { UsageError } from '../../../src/cli/usage';
import { cli, failingConnect } from './helpers';

describe('refused, with the rule named', () => {
  test.each([
    ['http://h/a%01b', /holds the control character U\+0001 \(file names hold no control characters\)/],
    ['http://h/a%0D%0Ab.bin', /control character U\+000D/],
    ['http://h/a%7Fb', /control character U\+007F/],
    ['http://h/a%C2%85b', /control character U\+0085/],
    ['http://h/CON', /a name Windows reserves for a device \(CON, PRN, AUX, NUL, COM1-9, LPT1-9, also with an extension\)/],
    ['http://h/con.txt', /reserves for a device/],
    ['http://h/NUL.tar.gz', /reserves for a device/],
    ['http://h/Com1.log', /reserves for a device/],
    ['http://h/lpt9', /reserves for a device/],
    ['http://h/PRN.', /reserves for a device/],
    ['http://h/AUX', /reserves for a device/],
    ['\\\\server\\share\\nul.bin', /reserves for a device/],
    ['http://h/file.', /ends in a dot or a space, which Windows strips/],
    ['http://h/file%20', /ends in a dot or a space/],
    ['http://h/a%3Fb', /holds '\?', one of the characters Windows does not allow in file names \(< > : " \/ \\ \| \? \*\)/],
    ['http://h/a%3Ab', /holds ':'/],
    ['http://h/a%5Cb', /holds '\\'/],
    ['http://h/a%2Fb', /holds '\/'/],
    ['http://h/a%22b', /holds '"'/],
    ['http://h/a%7Cb', /holds '\|'/],
    [`http://h/${'a'.repeat(256)}`, /is 256 characters long \(a file name holds at most 255\)/],
  ])('%s', (url, rule) => {
    let error: unknown;
    try {
      fileNameFromRemote(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    const { message } = error as Error;
    expect(message).toMatch(/^the file name '.*' taken from the URL /);
    expect(message).toMatch(rule);
    expect(message).toMatch(/: give the destination as a file path, not a folder$/);
    expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/); // the name is shown escaped
  });
});

describe('accepted', () => {
  test.each([
    ['http://h/dir/file%20name.iso?x=1', 'file name.iso'],
    ['http://h/CONSOLE.txt', 'CONSOLE.txt'],
    ['http://h/con-fig.bin', 'con-fig.bin'],
    ['http://h/COM10', 'COM10'],
    ['http://h/%E6%97%A5%E6%9C%AC.bin', '日本.bin'],
    ['http://h/', 'download.bin'],
    [`http://h/${'a'.repeat(255)}`, 'a'.repeat(255)],
  ])('%s → %s', (url, name) => {
    expect(fileNameFromRemote(url)).toBe(name);
  });

  test('into a folder, the name lands in it', () => {
    const cwd = path.resolve('/work');
    expect(resolveDestination(`dl${path.sep}`, 'http://h/file%20name.iso', cwd)).toBe(path.join(cwd, 'dl', 'file name.iso'));
  });

  test('a destination given as a file path takes no name from the URL', () => {
    const cwd = path.resolve('/work');
    expect(resolveDestination('out.bin', 'http://h/CON', cwd)).toBe(path.join(cwd, 'out.bin'));
  });
});

test('through the CLI: exit 2, one line naming the rule, before any connection', async () => {
  const r = await cli(['download', 'http://h/a%01b', `dl${path.sep}`, '--bits'], { connect: failingConnect(new Error('must not connect')) });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("error: the file name 'a\\u0001b' taken from the URL holds the control character U+0001");
  expect(r.stderr).not.toContain('must not connect');
  expect(r.stderr).not.toContain('\u0001');
});

describe('URLs the CLI refuses before connecting (issue 26: they reached AddFile as they were)', () => {
  test.each([
    ['http://h/a b.bin', /'http:\/\/h\/a b\.bin' contains a space U\+0020 at index 10: .*encode it as %20/],
    ['http://h/a\r\nX-Injected: 1', /'http:\/\/h\/a\\u000d\\u000aX-Injected: 1' contains a carriage return \(CR\) U\+000D at index 10/],
    ['http://user:hunter2@h/a\tb', /'http:\/\/\*\*\*@h\/a\\u0009b' contains a TAB U\+0009/],
  ])('%j → exit 2, the character named, no secret, nothing raw on the terminal', async (url, message) => {
    const r = await cli(['download', url, 'out.bin', '--bits'], { connect: failingConnect(new Error('must not connect')) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('hunter2');
    expect(r.stderr).not.toContain('must not connect');
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });
});
