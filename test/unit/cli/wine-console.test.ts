/**
 * The progress bar on Wine's console (src/cli/wine-console.ts): cursor codes become carriage
 * returns and spaces, which Wine's conhost tracks. Checked on a model of a terminal that knows
 * only `\r`, `\n` and printable characters (what Wine's conhost keeps track of): the bar must end
 * as one line, redrawn in place. test/wine/console.test.ts checks the real console in tmux.
 */
import { createProgress } from '../../../src/cli/progress';
import { CARRIAGE_RETURN_REDRAW, carriageReturnRedraw } from '../../../src/cli/wine-console';
import { canRedraw, type CliStream } from '../../../src/cli/context';

/** A screen that understands `\r`, `\n` and characters only; anything else is printed as is. */
function crOnlyScreen(columns: number) {
  const lines: string[][] = [[]];
  let col = 0;
  let raw = '';
  return {
    isTTY: true as const,
    columns,
    write(chunk: string) {
      raw += chunk;
      for (const ch of chunk) {
        if (ch === '\r') col = 0;
        else if (ch === '\n') {
          lines.push([]);
          col = 0;
        } else {
          if (col >= columns) {
            lines.push([]);
            col = 0;
          }
          lines[lines.length - 1][col++] = ch;
        }
      }
      return true;
    },
    text: () => lines.map((l) => l.join('').trimEnd()).join('\n'),
    raw: () => raw,
  };
}

test('cursorTo(0) and clear-to-end become \\r and spaces; other escapes are dropped', () => {
  const screen = crOnlyScreen(80);
  const s = carriageReturnRedraw(screen);
  s.write('\x1b7\x1b[?25l\x1b[?7lhello world');
  s.write('\x1b[1Gbye\x1b[0K');
  s.write('\x1b[?7h\x1b[?25h\x1b8\n');
  expect(screen.raw()).toBe('hello world\rbye        \r\n');
  expect(screen.text()).toBe('bye\n');
});

test('a full-line clear blanks what was written; a redrawn line stops before the last column, a message does not', () => {
  const screen = crOnlyScreen(10);
  const s = carriageReturnRedraw(screen);
  s.write('a message longer than the terminal\n');
  expect(screen.raw()).toBe('a message longer than the terminal\n');
  s.write('\x1b[1G');
  s.write('0123456789abc');
  s.write('\x1b[2Kok\n');
  expect(screen.text()).toBe('a message\nlonger tha\nn the term\ninal\nok\n');
  expect(screen.raw()).toBe(`a message longer than the terminal\n\r012345678\r${' '.repeat(9)}\rok\n`);
});

test('cli-progress through it: the frames redraw one line in place (without it: escapes on the screen)', () => {
  const draw = (stream: CliStream) => {
    const bar = createProgress('bar', stream);
    for (const [state, n] of [['CONNECTING', 0n], ['TRANSFERRING', 1024n], ['TRANSFERRING', 4096n], ['TRANSFERRED', 8192n]] as const) {
      bar.update({ state, transferred: n, total: 8192n });
    }
    bar.stop();
  };
  const plain = crOnlyScreen(120);
  draw(plain);
  expect(plain.raw()).toContain('\x1b[');

  const screen = crOnlyScreen(120);
  draw(carriageReturnRedraw(screen));
  expect(screen.raw()).not.toContain('\x1b');
  const lines = screen.text().split('\n').filter(Boolean);
  expect(lines).toEqual([expect.stringMatching(/^\u2588{30} +100% \| 8\.0 KiB \/ 8\.0 KiB \| .* \| TRANSFERRED$/)]);
});

test('canRedraw: a carriage-return stream on a terminal redraws, also under Wine', () => {
  const stream = carriageReturnRedraw({ write: () => true, isTTY: true, columns: 80 });
  expect(stream[CARRIAGE_RETURN_REDRAW]).toBe(true);
  expect(canRedraw(stream, { TERM: 'xterm' })).toBe(true);
  expect(canRedraw(stream, { TERM: 'dumb' })).toBe(false);
  expect(canRedraw(carriageReturnRedraw({ write: () => true, isTTY: false }), {})).toBe(false);
});
