// Jest 30 in native-ESM mode (run with node --experimental-vm-modules); SWC strips types, keeps ESM.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  // Sources import './x.js' (NodeNext style); map to the .ts file under test.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
    ],
  },
  // Hermetic environment: TEMPORAL_* scrubbed, HOME and the config file in a temp folder, trust/proxy vars pinned.
  setupFiles: ['<rootDir>/test/support/env.ts'],
  testTimeout: 20000,
};
