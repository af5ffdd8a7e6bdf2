/**
 * Wine's console in a terminal (conhost rendering into a pty) passes escape sequences through to
 * the terminal but counts their bytes as printed cells: after a few redraws its idea of the cursor
 * is a line ahead and it re-wraps what is on the screen (measured with Wine 8 in tmux: the
 * progress bar's frames end up on separate lines, over later output). A carriage return it
 * tracks. So on Wine's console the progress bar's cursor codes become carriage returns and spaces.
 */
import type { CliStream } from './context';

/** Set on a stream that redraws a line with carriage returns only (see `canRedraw`). */
export const CARRIAGE_RETURN_REDRAW = Symbol('carriage-return redraw');

/** ESC followed by a CSI sequence (`ESC [ params final`) or a one-character escape (`ESC 7`). */
const ESCAPE = /\x1b(?:\[([?\d;]*)([@-~])|([\s\S]))/g;

/**
 * `stream` with the cursor codes of a one-line redraw (readline's cursorTo(0), clearLine, cli-progress's
 * cursor save/restore, show/hide and line-wrap switches) turned into `\r` and spaces, every other
 * escape sequence dropped, and a redrawn line cut before the last column (a wrap would break the
 * redraw). Text without cursor codes (messages) passes unchanged.
 */
export function carriageReturnRedraw(stream: CliStream): CliStream & { readonly [CARRIAGE_RETURN_REDRAW]: true } {
  let column = 0;
  /** The widest the current line has been since the last newline: what a clear must cover. */
  let widest = 0;
  /** A cursor code was seen on this line: it is being redrawn, so it must not wrap. Other lines are left whole. */
  let redrawing = false;
  const limit = () => Math.max(1, (stream.columns ?? 80) - 1);
  const text = (s: string): string => {
    let out = '';
    for (const ch of s) {
      if (ch === '\n') {
        column = 0;
        widest = 0;
        redrawing = false;
        out += ch;
      } else if (ch === '\r') {
        column = 0;
        out += ch;
      } else if (!redrawing || column < limit()) {
        column += 1;
        widest = Math.max(widest, column);
        out += ch;
      }
    }
    return out;
  };
  const control = (params: string, final: string | undefined, single: string | undefined): string => {
    redrawing = true;
    const toStart = () => {
      column = 0;
      return '\r';
    };
    if (single === '8') return toStart(); // cursor restore: cli-progress saved it at the line's start
    if (final === 'G' && (params === '' || params === '1')) return toStart();
    if (final === 'K') {
      // Clear to the end of the line (0) or all of it (2): overwrite with spaces what was written.
      if (params === '2') return `\r${' '.repeat(widest)}${toStart()}`;
      const pad = ' '.repeat(Math.max(0, widest - column));
      column = widest;
      return pad;
    }
    return '';
  };
  const write = (chunk: unknown, ...rest: unknown[]): unknown => {
    if (typeof chunk !== 'string') return (stream.write as (...a: unknown[]) => unknown)(chunk, ...rest);
    let out = '';
    let last = 0;
    for (const m of chunk.matchAll(ESCAPE)) {
      out += text(chunk.slice(last, m.index)) + control(m[1] ?? '', m[2], m[3]);
      last = (m.index ?? 0) + m[0].length;
    }
    out += text(chunk.slice(last));
    return (stream.write as (...a: unknown[]) => unknown)(out, ...rest);
  };
  return {
    write,
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    get rows() {
      return stream.rows;
    },
    [CARRIAGE_RETURN_REDRAW]: true,
  };
}
