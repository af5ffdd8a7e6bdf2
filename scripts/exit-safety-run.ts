/**
 * Runs exit-safety scenarios (test/support/exit-scenario.ts) for one service and prints one JSON
 * line per scenario. `scripts/exit-safety.js` runs it on the fake (local node) and on Wine's BITS
 * (`node scripts/testbed.js run scripts/exit-safety-run.ts bits …`).
 *
 *   exit-safety-run.ts <fake|bits> <out.jsonl> [operation,…] [ending,…] [condition,…]
 *
 * Between scenarios it puts the service back: thaws a frozen BITS, restarts a killed one, and
 * cancels the jobs a scenario left behind.
 */
import * as fs from 'fs';
import { CONDITIONS, ENDINGS, OPERATIONS } from '../test/support/exit-scenario';
import { runExitScenario } from '../test/support/run-exit-scenario';

const list = (arg: string | undefined, all: readonly string[]) => (arg ? arg.split(',') : [...all]);

async function main(): Promise<void> {
  const [service, out, ops, endings, conditions] = process.argv.slice(2);
  const lines: string[] = [];
  for (const condition of list(conditions, CONDITIONS)) {
    for (const operation of list(ops, Object.keys(OPERATIONS))) {
      // process.exit() and an uncaught exception; an unhandled rejection takes the same path as the latter.
      for (const ending of list(endings, ENDINGS.filter((e) => e !== 'reject'))) {
        const r = await runExitScenario(service, operation, ending, condition);
        const { output, ...row } = r;
        const line = JSON.stringify(r.ms === null || r.hung ? { ...row, output: output.slice(-2000) } : row);
        lines.push(line);
        fs.appendFileSync(out, `${line}\n`);
        if (service === 'bits') await (await import('../test/wine/service-faults')).restoreBits(condition as 'healthy', 'exit-safety');
      }
    }
  }
  process.stdout.write(`${lines.length} scenarios\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
