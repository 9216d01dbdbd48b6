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
  // Most tests wait on loopback servers, timeouts and child processes, not on the CPU: on a 2-core machine the default
  // (cores - 1 = one worker) leaves it idle. Four workers, as a number: jest 30 reads a percentage string in the config
  // file as a plain count ('200%' started 200 workers).
  maxWorkers: 4,
};
