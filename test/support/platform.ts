/**
 * Tests that cannot mean anything in the Windows run (`node scripts/test.js --windows`), skipped
 * there with their reason. The runner lists every `skipOnWindows('…')` / `skipUnderWine('…')` / `skipOnIa32Host('…')`
 * reason of the test files and counts them: keep the reasons literal strings on one line.
 */
const onWindows = process.platform === 'win32';
/** Set for Windows node started by `scripts/test.js --windows` on Linux; other Wine runs of Jest see it unset. */
const underWine = onWindows && process.env.DO_TEST_UNDER_WINE === '1';

interface Skippable {
  readonly test: jest.It;
  readonly describe: jest.Describe;
}

const pick = (skip: boolean): Skippable => ({ test: skip ? test.skip : test, describe: skip ? describe.skip : describe });

/** Skipped on Windows (a Linux-only tool, POSIX paths): `skipOnWindows('why').test(...)`. */
export function skipOnWindows(reason: string): Skippable {
  void reason;
  return pick(onWindows);
}

/** Skipped under Wine only (a real Windows runner runs it): `skipUnderWine('why').test(...)`. */
export function skipUnderWine(reason: string): Skippable {
  void reason;
  return pick(underWine);
}

/** Skipped in a 32-bit process (a test that needs the x64 host ABI): `skipOnIa32Host('why').test(...)`. */
export function skipOnIa32Host(reason: string): Skippable {
  void reason;
  return pick(process.arch === 'ia32');
}
