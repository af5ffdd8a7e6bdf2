/**
 * The packed tarball, as npm users get it, for the `package` tier (tests that install the package
 * into fresh projects). `npm test` packs once and hands the path over in DO_TARBALL; a file run
 * alone packs for itself, once per Jest worker.
 */
import * as fs from 'fs';
import * as path from 'path';

export const root = path.resolve(__dirname, '../..');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { packTarball } = require('../../scripts/pack.js') as { packTarball(options?: { dir?: string }): string };

let packed: string | undefined;

/** The path of `delivery-optimization-<version>.tgz` (built by `npm pack`'s prepack). */
export function tarball(): string {
  const given = process.env.DO_TARBALL;
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`DO_TARBALL=${given} does not exist`);
    return given;
  }
  if (packed && fs.existsSync(packed)) return packed;
  packed = packTarball();
  return packed;
}
