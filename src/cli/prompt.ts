/**
 * Questions to the person at the terminal: a password without echo, a yes/no confirmation.
 * Injectable (`CliDeps.prompter`) so tests answer them; never used when stdin is not a terminal.
 */
import { Writable } from 'stream';

export interface Prompter {
  /** True when a person can answer: stdin and stderr are terminals. */
  readonly interactive: boolean;
  /** Reads one line without echoing it. The answer is never printed or logged. */
  secret(question: string): Promise<string>;
  /** y/yes → true; anything else (or end of input) → false. */
  confirm(question: string): Promise<boolean>;
}

/** Where a prompter reads and writes: the terminal (process.stdin / process.stderr), or test streams. */
export interface PromptStreams {
  readonly input: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly output: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

/** Reads a line; with `mute`, typed characters are not echoed (the question is). */
function ask(streams: PromptStreams, question: string, mute: boolean): Promise<string> {
  return new Promise((resolve) => {
    const { input, output } = streams;
    let muted = false;
    // Echo goes through this stream; once the question is out, a muted prompt writes nothing.
    const echo = new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        if (!muted) output.write(chunk);
        done();
      },
    });
    // Loaded here: only a prompt needs readline, and loading it costs every command's start-up.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const readline = require('readline') as typeof import('readline');
    const rl = readline.createInterface({ input, output: echo, terminal: true });
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

/** A prompter on these streams; interactive when both are terminals. */
export function createPrompter(streams: PromptStreams): Prompter {
  return {
    get interactive(): boolean {
      return streams.input.isTTY === true && streams.output.isTTY === true;
    },
    secret: (question) => ask(streams, question, true),
    confirm: async (question) => /^\s*y(es)?\s*$/i.test(await ask(streams, question, false)),
  };
}

/** The terminal: stdin, and stderr (stdout stays clean for results and --json). */
let terminal: Prompter | undefined;
const onTerminal = (): Prompter => (terminal ??= createPrompter({ input: process.stdin, output: process.stderr }));

/**
 * The prompter on this process's terminal. `process.stdin` is only touched when a prompt asks:
 * creating the stdin stream costs every command's start-up several milliseconds (bench:startup).
 */
export const terminalPrompter: Prompter = {
  get interactive(): boolean {
    return onTerminal().interactive;
  },
  secret: (question) => onTerminal().secret(question),
  confirm: (question) => onTerminal().confirm(question),
};
