/**
 * A real terminal for the CLI under Wine: tmux on the host, with `wine node.exe bin/…` attached to the
 * pane's pty. Wine then gives node.exe a console (its conhost renders into the pty), so
 * `tmux send-keys C-c` is a console Ctrl-C (CTRL_C_EVENT, node's SIGINT), and `capture-pane` reads
 * the screen. A signal sent to a node.exe whose stdio are files is no Ctrl-C at all (testbed.md §7),
 * which is why the CLI's Ctrl-C is tested here and not with `kill`.
 *
 * Wine only. One tmux server per Terminal (its own socket, `-L`), so runs never meet each other's
 * sessions; `close()` kills it with every pane. The wineserver stays up meanwhile: this Jest process
 * is a Windows process of the same prefix, so the CLI's jobs live in the same BITS service.
 */
import * as path from 'path';
import { shQuote, toUnixPath, unixShell } from './unix-shell';

/** What the pane's shell prints when the CLI has exited, with its exit code. */
const EXIT_LINE = /^\[exit (\d+)\]/m;

export class Terminal {
  readonly socket: string;
  #sessions = 0;

  constructor(name: string) {
    this.socket = `do-${name}-${process.pid}-${Date.now()}`;
  }

  #tmux(args: string): string {
    return `tmux -L ${shQuote(this.socket)} -f /dev/null ${args}`;
  }

  /** Whether the host has tmux (Debian package tmux; .ci/run installs it). */
  static async available(): Promise<boolean> {
    return /^yes$/m.test(await unixShell('command -v tmux >/dev/null && echo yes || echo no'));
  }

  /**
   * Starts the CLI (`bin/delivery-optimization.js <args>`) with this process's node.exe in a new
   * session of `cols`×`rows`; returns the session's name.
   */
  async startCli(args: readonly string[], size = { cols: 200, rows: 50 }): Promise<string> {
    this.#sessions += 1;
    const session = `cli${this.#sessions}`;
    const root = path.resolve(__dirname, '..', '..');
    const bin = path.join(root, 'bin', 'delivery-optimization.js');
    // The pane stays after the CLI exits (sleep), so the screen and the exit line can be read.
    // The shell survives a SIGINT from the pty (the CLI's exit code must still be printed); a
    // handler, unlike an ignored signal, is not inherited by the programs it starts.
    const command = [
      "trap 'true' INT",
      `cd ${shQuote(toUnixPath(root))}`,
      `wine ${shQuote(toUnixPath(process.execPath))} ${[bin, ...args].map(shQuote).join(' ')}`,
      // On a line of its own: after a Ctrl-C the console leaves the cursor behind its "^C".
      'rc=$?; printf \'\\n[exit %s]\\n\' "$rc"',
      'exec sleep 3600',
    ].join('\n');
    const script = `/tmp/${this.socket}-${session}.sh`;
    const text = await unixShell([
      `cat > ${script} <<'END_OF_CLI_SCRIPT'\n${command}\nEND_OF_CLI_SCRIPT`,
      this.#tmux(`new-session -d -s ${session} -x ${size.cols} -y ${size.rows} ${shQuote(`sh ${script}`)}`),
      this.#tmux(`set-option -t ${session} history-limit 5000`),
      'echo "[started $?]"',
    ].join('\n'));
    if (!/^\[started 0\]$/m.test(text)) throw new Error(`tmux could not start the CLI: ${text}`);
    return session;
  }

  /** The pane's text, scrollback included, wrapped lines joined. */
  async screen(session: string): Promise<string> {
    return unixShell(this.#tmux(`capture-pane -p -J -S - -t ${session}`));
  }

  /** Types keys into the pane, as tmux names them (`C-c` is Ctrl-C). */
  async sendKeys(session: string, ...keys: string[]): Promise<void> {
    const text = await unixShell(`${this.#tmux(`send-keys -t ${session} ${keys.map(shQuote).join(' ')}`)} && echo "[sent]"`);
    if (!text.includes('[sent]')) throw new Error(`tmux send-keys failed: ${text}`);
  }

  /**
   * Polls the screen until `pattern` is on it; resolves with the screen. Rejects at the deadline
   * with what the screen showed, so a failure says what the terminal really displayed.
   */
  async waitFor(session: string, pattern: RegExp, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.screen(session);
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`the terminal did not show ${pattern} within ${timeoutMs} ms; it shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Waits until the CLI has exited; its exit code and the screen. */
  async exit(session: string, timeoutMs: number): Promise<{ code: number; screen: string }> {
    const screen = await this.waitFor(session, EXIT_LINE, timeoutMs);
    return { code: Number(EXIT_LINE.exec(screen)?.[1]), screen };
  }

  /** Kills the tmux server and every pane (the CLI processes in them get SIGHUP), and removes its socket. */
  async close(): Promise<void> {
    // kill-server leaves the socket file behind (seen with tmux 3.3a).
    const socketFile = `"\${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/${this.socket}"`;
    await unixShell(`${this.#tmux('kill-server')}; rm -f ${socketFile} /tmp/${this.socket}-*.sh`);
  }
}
