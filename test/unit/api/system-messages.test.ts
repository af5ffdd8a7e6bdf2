/**
 * No import installs a global hook (issue 23, item 7): Windows' own text for codes outside the
 * tables (FormatMessageW) is installed where it is needed (the first connection on Windows, the
 * CLI's `explain`), not by loading the package. Windows is simulated: process.platform reads
 * 'win32' and FormatMessageW is replaced by a stub, so the test runs on any OS.
 */
const UNKNOWN_WIN32 = 0x80070001; // ERROR_INVALID_FUNCTION: not in our tables
const STUB_TEXT = 'stub text from FormatMessageW';

describe('Windows message text', () => {
  const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
  beforeEach(() => {
    jest.resetModules();
    jest.doMock('../../../src/com/system-message', () => ({ systemMessage: () => STUB_TEXT }));
    Object.defineProperty(process, 'platform', { value: 'win32' });
  });
  afterEach(() => {
    Object.defineProperty(process, 'platform', platform);
    jest.dontMock('../../../src/com/system-message');
  });

  test('loading every export of the package root installs nothing', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const root = require('../../../src') as Record<string, unknown>;
    for (const name of Object.keys(root)) void root[name];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../../src/api/failures');
    const { describeHResult } = root as typeof import('../../../src');
    expect(describeHResult(UNKNOWN_WIN32).message).not.toContain(STUB_TEXT);
  });

  test("installed on demand; a source set through diagnostics is asked first", () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { installSystemMessages } = require('../../../src/api/platform') as typeof import('../../../src/api/platform');
    const { describeHResult } = require('../../../src/errors') as typeof import('../../../src/errors');
    const { setSystemMessageSource } = require('../../../src/diagnostics') as typeof import('../../../src/diagnostics');
    /* eslint-enable @typescript-eslint/no-require-imports */
    installSystemMessages();
    expect(describeHResult(UNKNOWN_WIN32).message).toContain(STUB_TEXT);
    setSystemMessageSource(() => 'my own text');
    expect(describeHResult(UNKNOWN_WIN32).message).toContain('my own text');
    setSystemMessageSource(null);
    expect(describeHResult(UNKNOWN_WIN32).message).toContain(STUB_TEXT);
  });
});
