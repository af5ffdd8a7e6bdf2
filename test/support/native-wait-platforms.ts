/**
 * Where the fake's native waits (delay / hang faults, held calls) must work, written out here rather
 * than asked of the code under test, so that a platform losing them fails instead of skipping.
 * The rest (macOS, linux-arm64) have no stub yet: those tests skip there, with this reason.
 */
export const NATIVE_WAIT_PLATFORMS = ['linux-x64', 'win32-x64', 'win32-ia32'];

export const nativeWaitsHere = NATIVE_WAIT_PLATFORMS.includes(`${process.platform}-${process.arch}`);
