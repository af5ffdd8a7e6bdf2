/**
 * The CLI entry turns on Node's compile cache where Node has it (22.1+, issue 25 item 5), and still
 * starts where it does not (Node 20) or where setting it up throws.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const bin = path.resolve(__dirname, '../../../bin/delivery-optimization.js');

/** Runs the bin's `explain` in a fresh node whose module.enableCompileCache is `stub`; counts its calls. */
function calls(stub: string): { stdout: string; calls: number } {
  const code = `
    const m = require('module');
    let calls = 0;
    m.enableCompileCache = ${stub};
    process.on('exit', () => process.stdout.write('\\nCALLS=' + calls + '\\n'));
    process.argv = [process.argv[0], ${JSON.stringify(bin)}, 'explain', '0x80070005'];
    require(${JSON.stringify(bin)});
  `;
  const stdout = execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  const match = /CALLS=(\d+)/.exec(stdout);
  return { stdout, calls: match ? Number(match[1]) : -1 };
}
test('bin calls module.enableCompileCache() once when Node has it, and the command runs', () => {
  const r = calls('() => { calls++; return { status: 1 }; }');
  expect(r.calls).toBe(1);
  expect(r.stdout).toContain('E_ACCESSDENIED');
}, 60_000);

test('a compile cache that cannot be set up does not stop the CLI', () => {
  const r = calls('() => { calls++; throw new Error("read-only temp folder"); }');
  expect(r.calls).toBe(1);
  expect(r.stdout).toContain('E_ACCESSDENIED');
}, 60_000);

test('without module.enableCompileCache (Node before 22.1) the CLI runs as before', () => {
  const r = calls('undefined');
  expect(r.calls).toBe(0);
  expect(r.stdout).toContain('E_ACCESSDENIED');
}, 60_000);
