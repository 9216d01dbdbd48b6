// joinDashValues joins a PEM value (starting with -----) to the long flag before it, so yargs does not read the value
// as another flag. These pin which arguments it joins today.
import { describe, expect, it } from '@jest/globals';
import { joinDashValues } from '../../../src/cli/main.js';

const PEM =
  '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';

describe('joinDashValues', () => {
  it('joins a value that starts with ----- to the long flag before it', () => {
    expect(joinDashValues(['--tls-key-data', PEM])).toEqual([`--tls-key-data=${PEM}`]);
  });

  it('joins every such pair and keeps the other arguments where they were', () => {
    expect(
      joinDashValues([
        'check',
        '--address',
        'localhost:7233',
        '--tls-cert-data',
        '-----A',
        '-v',
        '--tls-key-data',
        '-----B',
      ])
    ).toEqual(['check', '--address', 'localhost:7233', '--tls-cert-data=-----A', '-v', '--tls-key-data=-----B']);
  });

  it('needs five dashes: four are left for yargs', () => {
    expect(joinDashValues(['--tls-key-data', '-----'])).toEqual(['--tls-key-data=-----']);
    expect(joinDashValues(['--tls-key-data', '----BEGIN'])).toEqual(['--tls-key-data', '----BEGIN']);
  });

  it('joins only to a lower-case long flag without a value of its own', () => {
    expect(joinDashValues(['-k', '-----A'])).toEqual(['-k', '-----A']);
    expect(joinDashValues(['--Tls-key-data', '-----A'])).toEqual(['--Tls-key-data', '-----A']);
    expect(joinDashValues(['--tls2', '-----A'])).toEqual(['--tls2', '-----A']);
    expect(joinDashValues(['--tls-key-data=x', '-----A'])).toEqual(['--tls-key-data=x', '-----A']);
    expect(joinDashValues(['--', '-----A'])).toEqual(['--', '-----A']);
    expect(joinDashValues(['check', '-----A'])).toEqual(['check', '-----A']);
  });

  it('joins one value per flag: a second ----- argument stays on its own', () => {
    expect(joinDashValues(['--tls-cert-data', '-----A', '-----B'])).toEqual(['--tls-cert-data=-----A', '-----B']);
  });

  it('leaves a flag at the end, an empty list and ordinary values alone', () => {
    expect(joinDashValues(['--tls-key-data'])).toEqual(['--tls-key-data']);
    expect(joinDashValues([])).toEqual([]);
    expect(joinDashValues(['--address', 'localhost:7233', '--namespace', 'orders'])).toEqual([
      '--address',
      'localhost:7233',
      '--namespace',
      'orders',
    ]);
    expect(joinDashValues(['--timeout', '-5s'])).toEqual(['--timeout', '-5s']);
  });

  it('returns a new array and leaves its input as it was', () => {
    const argv = ['--tls-key-data', PEM];
    const joined = joinDashValues(argv);
    expect(joined).not.toBe(argv);
    expect(argv).toEqual(['--tls-key-data', PEM]);
  });
});
