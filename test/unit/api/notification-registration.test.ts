/**
 * registerNotificationServer / unregisterNotificationServer: bad input is refused with a typed
 * error before any native call (on Linux no native code can run at all, so reaching the platform
 * check proves the arguments passed).
 */
import { randomUUID } from 'crypto';
import { listNotificationServers, PlatformNotSupportedError, registerNotificationServer, unregisterNotificationServer } from '../../../src';
import { localServerCommandLine } from '../../../src/api/notification-registration';

const onWindows = process.platform === 'win32';
const linuxOnly = onWindows ? test.skip : test;

test('a CLSID that is not a GUID is refused', () => {
  expect(() => registerNotificationServer({ clsid: 'not-a-guid', script: 'C:\\x.js' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE', message: expect.stringContaining('options.clsid') }));
  expect(() => registerNotificationServer({ clsid: 42 as unknown as string, script: 'C:\\x.js' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  expect(() => unregisterNotificationServer('{not-a-guid}')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
});

test('a relative, quoted or missing script is refused, and so is a missing node', () => {
  const clsid = randomUUID();
  expect(() => registerNotificationServer({ clsid, script: 'server.js' })).toThrow(/"options\.script" must be an absolute path/);
  expect(() => registerNotificationServer({ clsid, script: '.\\server.js' })).toThrow(/absolute path/);
  expect(() => registerNotificationServer({ clsid, script: 'C:\\a"b.js' })).toThrow(/must not contain a double quote/);
  expect(() => registerNotificationServer({ clsid, script: 'C:\\no\\such\\server.js' })).toThrow(/"options\.script" must name an existing file/);
  expect(() => registerNotificationServer({ clsid, script: '' })).toThrow(/"options\.script" must not be empty/);
  expect(() => registerNotificationServer({ clsid, script: __filename, node: 'C:\\no\\node.exe' })).toThrow(/"options\.(script|node)"/);
  expect(() => registerNotificationServer(undefined as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE', message: expect.stringContaining('options.clsid') }));
});

linuxOnly('off Windows, a valid CLSID reaches the platform check (nothing native runs)', () => {
  expect(() => unregisterNotificationServer(randomUUID())).toThrow(PlatformNotSupportedError);
  expect(() => listNotificationServers()).toThrow(PlatformNotSupportedError);
});

test('the command line quotes node and the script (COM appends -Embedding itself)', () => {
  expect(localServerCommandLine('C:\\Program Files\\nodejs\\node.exe', 'C:\\My Apps\\woken.js')).toBe('"C:\\Program Files\\nodejs\\node.exe" "C:\\My Apps\\woken.js"');
});
