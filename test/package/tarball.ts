/**
 * The packed tarball, as npm users get it, for the `package` tier (tests that install the package
 * into fresh projects). `npm test` packs once and hands the path over in DO_TARBALL; a file run
 * alone packs for itself, once per Jest worker.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const root = path.resolve(__dirname, '../..');

let packed: string | undefined;

/** The path of `delivery-optimization-<version>.tgz` (built by `npm pack`'s prepack). */
export function tarball(): string {
  const given = process.env.DO_TARBALL;
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`DO_TARBALL=${given} does not exist`);
    return given;
  }
  if (packed && fs.existsSync(packed)) return packed;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-tarball-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[];
  packed = path.join(dir, info.filename);
  return packed;
}
