/** Sizes, durations, rates and the JobError block: the pieces of the human output. */
import { fields, formatBytes, formatDuration, formatPercent, formatRate, jobErrorBlock, table } from '../../../src/cli/format';
import { describeSample, RateMeter } from '../../../src/cli/progress';

test('formatBytes', () => {
  expect(formatBytes(0)).toBe('0 B');
  expect(formatBytes(1023)).toBe('1023 B');
  expect(formatBytes(1536)).toBe('1.5 KiB');
  expect(formatBytes(33554432n)).toBe('32.0 MiB');
  expect(formatBytes(5n * 1024n ** 4n)).toBe('5.0 TiB');
  expect(formatBytes(null)).toBe('?');
});

test('formatDuration and formatRate', () => {
  expect(formatDuration(0)).toBe('0s');
  expect(formatDuration(4.56, true)).toBe('4.6s');
  expect(formatDuration(42)).toBe('42s');
  expect(formatDuration(185)).toBe('3m05s');
  expect(formatDuration(7620)).toBe('2h07m');
  expect(formatDuration(null)).toBe('--');
  expect(formatDuration(Infinity)).toBe('--');
  expect(formatRate(10.5 * 1048576)).toBe('10.5 MiB/s');
  expect(formatRate(null)).toBe('--/s');
});

test('formatPercent', () => {
  expect(formatPercent(1n, 3n)).toBe('33.3%');
  expect(formatPercent(5n, 5n)).toBe('100%');
  expect(formatPercent(5n, null)).toBe('?%');
  expect(formatPercent(0n, 0n)).toBe('?%');
});

test('RateMeter: a sliding window that starts when the bytes do', () => {
  let now = 0;
  const m = new RateMeter(3000, () => now);
  m.add(0n);
  now = 5000; // a long queue: must not drag the rate down
  m.add(0n);
  expect(m.rate()).toBeNull();
  now = 6000;
  m.add(1048576n);
  expect(m.rate()).toBe(1048576);
  for (let i = 2; i <= 10; i++) {
    now += 1000;
    m.add(BigInt(i) * 1048576n);
  }
  expect(m.rate()).toBeCloseTo(1048576, -3);
});

test('describeSample', () => {
  expect(describeSample({ state: 'TRANSFERRING', transferred: 16n * 1048576n, total: 32n * 1048576n }, 8 * 1048576)).toBe(
    '   50% | 16.0 MiB / 32.0 MiB | 8.0 MiB/s | ETA 2s | TRANSFERRING');
  expect(describeSample({ state: 'TRANSIENT_ERROR', transferred: 0n, total: null, note: 'BG_E_NETWORK_DISCONNECTED' }, null)).toBe(
    '    ?% | 0 B / ? | --/s | ETA -- | TRANSIENT_ERROR (BG_E_NETWORK_DISCONNECTED)');
});

test('table and fields align; multi-line values continue under the value column', () => {
  expect(table(['A', 'BB'], [['xxx', 'y']])).toEqual(['A    BB', 'xxx  y']);
  expect(fields([['a', '1'], ['long', 'x\ny'], ['gone', null]])).toEqual(['  a     1', '  long  x', '        y']);
});

test('jobErrorBlock: every field, and "not reported" for what the service left out', () => {
  const lines = jobErrorBlock({
    hresult: 0x80d03002, code: 'DO_E_NO_DOWNLOAD_EXTSETTINGS', message: 'refused', context: 6, contextName: 'GENERAL_TRANSPORT',
    description: 'Service says no', contextDescription: null, protocol: null,
    file: { remoteUrl: 'http://h/a', localPath: 'C:\\a', progress: { bytesTotal: 2048n, bytesTransferred: 1024n, completed: false } },
    toException: () => new Error('x'),
  });
  expect(lines).toEqual([
    'JobError',
    '  code          DO_E_NO_DOWNLOAD_EXTSETTINGS',
    '  hresult       0x80D03002 (-2133839870)',
    '  message       refused',
    '  context       GENERAL_TRANSPORT (6)',
    '  file          http://h/a',
    '                -> C:\\a (1.0 KiB of 2.0 KiB)',
    '  protocol      not reported',
    '  service text  Service says no',
  ]);
  expect(jobErrorBlock(null)[0]).toMatch(/^JobError: none/);
});
