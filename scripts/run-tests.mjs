// Runs jest (native ESM), then prints the plain closing line CI reads: "jest: N passed, N failed".
// A suite that fails outside a test (a failing beforeAll/afterAll, a module that does not import) has no failed test,
// so it is counted as a failure of its own and named on a line before the closing one. The closing line never says
// "0 failed" when jest itself reported failure.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { relative } from 'node:path';

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
  console.log(`jest: wrote no results (exit code ${jest.status ?? jest.signal})`);
  console.log('jest: 0 passed, 1 failed');
  process.exit(jest.status || 1);
}

/** The first line of jest's message for a suite that failed to run, e.g. the error an afterAll threw. */
function reason(message) {
  const lines = String(message ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('●'));
  // "Configuration error:" and the like announce the line that says what went wrong.
  const first = lines[0]?.endsWith(':') && lines[1] ? `${lines[0]} ${lines[1]}` : (lines[0] ?? 'no message');
  return first.length > 200 ? `${first.slice(0, 200)}…` : first;
}

const suitesFailedOutsideTests = (summary.testResults ?? []).filter(
  (suite) => suite.status === 'failed' && !(suite.assertionResults ?? []).some((test) => test.status === 'failed')
);
let failed = summary.numFailedTests + suitesFailedOutsideTests.length;
for (const suite of suitesFailedOutsideTests) {
  console.log(`jest: suite failed outside a test: ${relative(process.cwd(), suite.name)} (${reason(suite.message)})`);
}
if (failed === 0 && (summary.success !== true || jest.status !== 0)) {
  console.log(
    `jest: reported failure without a failed test or suite (success ${summary.success}, exit code ${jest.status ?? jest.signal})`
  );
  failed = 1;
}
console.log(`jest: ${summary.numPassedTests} passed, ${failed} failed`);
process.exit(jest.status || (failed > 0 ? 1 : 0));
