/**
 * Questions to the person at the terminal: a password without echo, a yes/no confirmation.
 * Injectable (`CliDeps.prompter`) so tests answer them; never used when stdin is not a terminal.
 */
import * as readline from 'readline';

export interface Prompter {
  /** True when a person can answer: stdin and stderr are terminals. */
  readonly interactive: boolean;
  /** Reads one line without echoing it. The answer is never printed or logged. */
  secret(question: string): Promise<string>;
  /** y/yes → true; anything else (or end of input) → false. */
  confirm(question: string): Promise<boolean>;
}

/** Reads a line from the terminal; with `mute`, typed characters are not echoed. */
function ask(question: string, mute: boolean): Promise<string> {
  return new Promise((resolve) => {
    const output = process.stderr;
    let muted = false;
    const rl = readline.createInterface({
      input: process.stdin,
      // Echo goes through this writer; once the question is out, a muted prompt writes nothing.
      output: { write: (chunk: string) => (muted ? true : output.write(chunk)) } as unknown as NodeJS.WritableStream,
      terminal: true,
    });
    let answered = false;
    rl.question(question, (answer) => {
      answered = true;
      if (mute) output.write('\n');
      rl.close();
      resolve(answer);
    });
    muted = mute;
    rl.on('close', () => {
      if (!answered) resolve('');
    });
  });
}

export const terminalPrompter: Prompter = {
  get interactive(): boolean {
    return process.stdin.isTTY === true && process.stderr.isTTY === true;
  },
  secret: (question) => ask(question, true),
  confirm: async (question) => /^\s*y(es)?\s*$/i.test(await ask(question, false)),
};
