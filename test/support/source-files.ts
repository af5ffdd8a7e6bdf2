/** The TypeScript files under a folder, recursively: for the tests that read the sources as text. */
import * as fs from 'fs';
import * as path from 'path';

export function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(full);
    return e.isFile() && e.name.endsWith('.ts') ? [full] : [];
  });
}
