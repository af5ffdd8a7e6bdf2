/** manager.capabilities() on the fake: the interface versions the fake is told to answer, and no job left behind. */
import { BackgroundCopyManager } from '../../../src/api';
import { windowsBuild } from '../../../src/api/capabilities';
import { createFakeService, WINE_LIKE_OPTIONS, type FakeServiceOptions } from '../../../src/testing';

async function capabilities(options: FakeServiceOptions) {
  const fake = createFakeService(options);
  try {
    const m = await BackgroundCopyManager.connect({ service: fake });
    try {
      const caps = await m.capabilities();
      expect(fake.jobs().every((j) => j.state === 8)).toBe(true); // the probe job is cancelled
      return caps;
    } finally {
      m.dispose();
      await fake.settle();
      fake.assertBalanced();
    }
  } finally {
    fake.dispose();
  }
}

test('a full BITS: Job5, HttpOptions3, File6, BITS 10.3, no IDO', async () => {
  const caps = await capabilities({ flavour: 'bits' });
  expect(caps.job).toEqual({
    IBackgroundCopyJob: true, IBackgroundCopyJob2: true, IBackgroundCopyJob3: true, IBackgroundCopyJob4: true, IBackgroundCopyJob5: true,
    IBackgroundCopyJobHttpOptions: true, IBackgroundCopyJobHttpOptions2: true, IBackgroundCopyJobHttpOptions3: true,
  });
  expect(caps.file?.IBackgroundCopyFile).toBe(true);
  expect(caps.bitsVersion).toBe('10.3');
  expect(caps.ido).toBe(false);
  expect(caps.windowsBuild).toBe(windowsBuild());
});

test('like Wine: Job4 but not Job5, HttpOptions but not 2 or 3', async () => {
  const caps = await capabilities(WINE_LIKE_OPTIONS);
  expect(caps.job).toMatchObject({ IBackgroundCopyJob4: true, IBackgroundCopyJob5: false, IBackgroundCopyJobHttpOptions: true, IBackgroundCopyJobHttpOptions2: false, IBackgroundCopyJobHttpOptions3: false });
  // The fake's file objects answer every version (it has no option to limit them): the file's then decides.
  expect(caps.file?.IBackgroundCopyFile6).toBe(true);
  expect(caps.bitsVersion).toBe('10.1');
});

test('the ido flavour: IDO available', async () => {
  expect((await capabilities({ flavour: 'ido' })).ido).toBe(true);
});

test('windowsBuild reads os.release() on Windows only', () => {
  expect(windowsBuild('win32', '10.0.22631')).toBe(22631);
  expect(windowsBuild('linux', '6.1.0')).toBeNull();
});
