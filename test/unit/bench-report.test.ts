/**
 * docs/performance.md and its pictures are generated from docs/performance.json by
 * scripts/bench/report.js: the committed pages must be what the committed data gives (no hand
 * edits, no drift), and the generator must show every run of every figure.
 */
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generate, notesText } = require('../../scripts/bench/report.js');

const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('docs/performance.md', () => {
  test('is what scripts/bench/report.js makes of docs/performance.json (rerun `node scripts/bench/report.js` when this fails)', () => {
    const docs = path.join(root, 'docs');
    const files: Record<string, string> = generate(read(path.join(docs, 'performance.json')), notesText(docs));
    expect(Object.keys(files).sort()).toEqual(['performance-curves.svg', 'performance-trace.svg', 'performance.md']);
    for (const [name, text] of Object.entries(files)) {
      expect({ name, text: fs.readFileSync(path.join(docs, name), 'utf8') }).toEqual({ name, text });
    }
  });
});

describe('scripts/bench/report.js on a fixture of two runs', () => {
  const files: Record<string, string> = generate(read(path.join(root, 'test/fixtures/bench/two-runs.json')), '## Notes\n\nhand-written');
  const md = files['performance.md'];
  const line = (start: string) => md.split('\n').find((l) => l.startsWith(start));

  test('a goal shows both runs, their spreads and the verdict of each', () => {
    expect(line('| wine_scale | `scale` | ≤ 0.50 |')).toBe('| wine_scale | `scale` | ≤ 0.50 | 0.47 / 0.52 | 0.45 – 0.50 (3); 0.50 – 0.55 (3) | met / missed by 0.02 | ours / native |');
  });

  test('a curve is a table of per-item and marginal costs per size, run 1 / run 2', () => {
    expect(line('| 1000 jobs |')).toBe('| 1000 jobs | 821 / 903 | 816 / 898 | 1327 / 1327 | 1326 / 1326 |');
    expect(md).toContain('Growth (last step\'s marginal cost / first step\'s; 1.00 = linear): ours 1.00 / 1.00; native 1.00 / 1.00.');
    expect(line('| wine_scale | `list_ours_growth` | ≤ 1.20 | 1.00 / 1.00 |  | met |')).toBeDefined();
  });

  test('the pictures: a line per series and run (run 2 dashed), a bar per traced call', () => {
    const svg = files['performance-curves.svg'];
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg.match(/stroke-dasharray=/g)).toHaveLength(2);
    expect(md).toContain('![Cost per item against size, every curve](performance-curves.svg)');
    expect(files['performance-trace.svg'].match(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="16"/g)).toHaveLength(2);
  });

  test('the hand-written notes come last, as they are', () => {
    expect(md.trimEnd().endsWith('## Notes\n\nhand-written')).toBe(true);
  });

  test('the output does not depend on when or where it runs', () => {
    expect(generate(read(path.join(root, 'test/fixtures/bench/two-runs.json')), '## Notes\n\nhand-written')).toEqual(files);
  });
});
