// Runs jest (native ESM), then prints the plain closing line CI reads: "jest: N passed, N failed".
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const resultsFile = 'jest-results.json';
rmSync(resultsFile, { force: true });
const jest = spawnSync(
  process.execPath,
  [
    '--disable-warning=ExperimentalWarning',
    '--experimental-vm-modules',
    'node_modules/jest/bin/jest.js',
    '--json',
    `--outputFile=${resultsFile}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' }
);
let summary;
try {
  summary = JSON.parse(readFileSync(resultsFile, 'utf8'));
} catch {
  console.log('jest: 0 passed, 1 failed');
  process.exit(jest.status || 1);
}
console.log(`jest: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed`);
process.exit(jest.status ?? 1);
