'use strict';
// Three tiers (docs/testing.md): unit = pure TypeScript, ffi = real native vtables on fake COM
// objects, package = the packed tarball installed in fresh projects, wine = the real BITS service under Wine (run by scripts/test.js with Windows node).
// Type errors are caught once by `tsc --noEmit` in scripts/test.js; Jest only transpiles.
const tsJest = ['ts-jest', { diagnostics: false }];
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  modulePathIgnorePatterns: ['<rootDir>/.testbed/', '<rootDir>/dist/'],
};
module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...base, displayName: 'ffi', testMatch: ['<rootDir>/test/ffi/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/ffi/setup.ts'] },
    // The packed tarball in fresh projects, as npm users install it (scripts/test.js runs it after unit+ffi).
    { ...base, displayName: 'package', testMatch: ['<rootDir>/test/package/**/*.test.ts'] },
    { ...base, displayName: 'wine', testMatch: ['<rootDir>/test/wine/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/wine/setup.ts'] },
  ],
};
