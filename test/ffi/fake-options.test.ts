/**
 * The testing API checks its options like the main API checks its arguments (typed Node-style
 * errors before anything native happens), and its registry holds only what it needs.
 */
import { createFakeService, takeCreatedFakes, type FakeServiceOptions } from '../../src/testing';

function refused(options: unknown): { name: string; code: unknown; message: string } {
  try {
    createFakeService(options as FakeServiceOptions);
  } catch (error) {
    const e = error as Error & { code?: unknown };
    return { name: e.name, code: e.code, message: e.message };
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe('createFakeService refuses bad options with typed errors', () => {
  test.each([
    [{ jobInterfaces: 9 }, 'ERR_INVALID_ARG_VALUE', /jobInterfaces/],
    [{ jobInterfaces: 4.5 }, 'ERR_INVALID_ARG_VALUE', /jobInterfaces/],
    [{ proxyBlanket: 'nope' }, 'ERR_INVALID_ARG_VALUE', /proxyBlanket/],
    [{ classRegistered: 'no' }, 'ERR_INVALID_ARG_TYPE', /classRegistered/],
    [{ flavour: 'wine' }, 'ERR_INVALID_ARG_VALUE', /flavour/],
    [{ errorDescriptions: 'sometimes' }, 'ERR_INVALID_ARG_VALUE', /errorDescriptions/],
    [{ owner: 42 }, 'ERR_INVALID_ARG_TYPE', /owner/],
    [{ writeFiles: 1 }, 'ERR_INVALID_ARG_TYPE', /writeFiles/],
    [{ callbackThread: 'any' }, 'ERR_INVALID_ARG_VALUE', /callbackThread/],
    [{ defaultBehaviour: { kind: 'succeed', bytes: 10, durationMs: -5 } }, 'ERR_OUT_OF_RANGE', /durationMs/],
    [{ defaultBehaviour: { kind: 'succeed', bytes: 10, durationMs: Infinity } }, 'ERR_OUT_OF_RANGE', /durationMs/],
    [{ defaultBehaviour: { kind: 'succeed', bytes: 10, durationMs: 2 ** 31 } }, 'ERR_OUT_OF_RANGE', /durationMs/],
    [{ script: { 'http://x.test/a': { kind: 'fail', hresult: 0x80200010, afterMs: NaN } } }, 'ERR_OUT_OF_RANGE', /afterMs/],
    [{ script: { 'http://x.test/a': { kind: 'teleport' } } }, 'ERR_INVALID_ARG_VALUE', /kind/],
    [{ timing: { connectMs: -1 } }, 'ERR_OUT_OF_RANGE', /connectMs/],
    [{ timing: { callbackRetries: 1.5 } }, 'ERR_OUT_OF_RANGE', /callbackRetries/],
    [{ failures: { 'IBackgroundCopyJob::Resume': 0 } }, 'ERR_OUT_OF_RANGE', /failure HRESULT/],
    [{ notImplemented: 'IBackgroundCopyJob::Resume' }, 'ERR_INVALID_ARG_TYPE', /notImplemented/],
    [{ faults: { 'IBackgroundCopyJob::Resume': { kind: 'fail', hresult: 1 } } }, 'ERR_OUT_OF_RANGE', /hresult/],
    [{ faults: { 'IBackgroundCopyJob::Resume': { kind: 'delay', ms: -1 } } }, 'ERR_OUT_OF_RANGE', /ms/],
    [{ faults: { 'IBackgroundCopyJob::Resume': { kind: 'fail', hresult: 0x80004005, nth: 0 } } }, 'ERR_OUT_OF_RANGE', /nth/],
    [{ faults: { 'IBackgroundCopyJob::Resume': { kind: 'explode' } } }, 'ERR_INVALID_ARG_VALUE', /kind/],
    [{ faults: { 'IBackgroundCopyJob::Resum': { kind: 'fail', hresult: 0x80004005 } } }, 'ERR_INVALID_ARG_VALUE', /Resum/],
    [null, 'ERR_INVALID_ARG_TYPE', /options/],
  ])('%j → %s', (options, code, text) => {
    const error = refused(options);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(text);
    expect(takeCreatedFakes()).toEqual([]); // nothing was created
  });

  test('FakeService.script() checks a behaviour the same way', () => {
    const fake = createFakeService();
    expect(() => fake.script('http://x.test/a', { kind: 'succeed', bytes: 1, durationMs: -5 })).toThrow(
      expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }),
    );
    fake.dispose();
  });

  test('valid options are accepted', () => {
    const fake = createFakeService({
      jobInterfaces: 4, proxyBlanket: 'refuse', classRegistered: false, callbackThread: 'main-thread',
      defaultBehaviour: { kind: 'succeed', bytes: 1, durationMs: 0 }, timing: { connectMs: 0, callbackRetries: 0 },
      faults: { 'IBackgroundCopyJob::Resume': [{ kind: 'fail', hresult: 0x80004005, nth: 2 }] },
    });
    expect(fake.kind).toBe('bits');
    fake.dispose();
  });
});

describe('the registry of created fakes', () => {
  test('a disposed fake leaves it at once: 300 create/dispose cycles hold none of them', () => {
    for (let i = 0; i < 300; i++) createFakeService().dispose();
    expect(takeCreatedFakes()).toHaveLength(0);
  });

  test('a fake not disposed yet stays until takeCreatedFakes()', () => {
    const kept = createFakeService();
    const taken = takeCreatedFakes();
    expect(taken).toEqual([kept]);
    kept.dispose();
  });
});
