/**
 * The documentation works inside the installed package: every relative link in the packed README.md
 * and docs/*.md points at a file the tarball holds (npm's page and an editor opening
 * node_modules/delivery-optimization/README.md both resolve them against the package's own files).
 */
import { execFileSync } from 'child_process';
import { tarball } from './tarball';

/** The tarball's files, without npm's `package/` prefix. */
function packedFiles(tgz: string): string[] {
  return execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
}

function packedText(tgz: string, file: string): string {
  return execFileSync('tar', ['-xzOf', tgz, `package/${file}`], { encoding: 'utf8', maxBuffer: 16 << 20 });
}

/** Relative link targets of a Markdown text (inline links; code spans and fenced blocks left out). */
export function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
  const targets = [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#'));
}

const tgz = tarball();
const files = packedFiles(tgz);
const documents = files.filter((f) => f === 'README.md' || /^docs\/[^/]+\.md$/.test(f));

test('the tarball ships README.md and docs/*.md', () => {
  expect(documents).toContain('README.md');
  expect(documents.filter((f) => f.startsWith('docs/')).length).toBeGreaterThanOrEqual(5);
});

test('relativeLinks finds inline links and leaves out URLs, anchors and code', () => {
  expect(relativeLinks('[a](docs/a.md) [b](https://x/y) [c](#top) `[d](e.md)` [f](../g.md#h "t")\n```\n[i](j.md)\n```\n'))
    .toEqual(['docs/a.md', '../g.md#h']);
});

test.each(documents)('every relative link in %s resolves to a file in the tarball', (doc) => {
  const base = doc.includes('/') ? doc.slice(0, doc.lastIndexOf('/') + 1) : '';
  const broken = relativeLinks(packedText(tgz, doc))
    .map((link) => ({ link, file: new URL(link.split('#')[0], `file:///${base}`).pathname.slice(1) }))
    .filter(({ file }) => !files.includes(decodeURIComponent(file)))
    .map(({ link }) => link);
  expect(broken).toEqual([]);
});
