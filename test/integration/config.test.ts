import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkIds, findCheck, runCli, runJson } from '../support/run-cli.js';

let dir: string;
let toml: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'config-integration-'));
  toml = join(dir, 'temporal.toml');
  writeFileSync(
    toml,
    [
      '[profile.default]',
      'address = "127.0.0.1:7233"',
      '',
      '[profile.cloud]',
      'address = "payments.a1b2c.tmprl.cloud:7233"',
      'namespace = "payments.a1b2c"',
      'api_key = "profile-api-key-value"',
      '',
    ].join('\n')
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('config stage through the CLI', () => {
  it('reports the effective target and where each value came from', async () => {
    const { report, exitCode } = await runJson(['--only', 'config', '--namespace', 'orders'], {
      env: { TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'cloud' },
    });
    expect(exitCode).toBe(0);
    const resolved = findCheck(report, 'config.resolved');
    expect(resolved?.message).toBe('Target payments.a1b2c.tmprl.cloud:7233, namespace orders, TLS on, auth API key');
    expect(resolved?.evidence).toEqual(
      expect.arrayContaining([
        { label: 'address', value: 'payments.a1b2c.tmprl.cloud:7233 (profile profile.cloud.address)' },
        { label: 'namespace', value: 'orders (flag --namespace)' },
        { label: 'tls', value: 'on (derived implied by profile.cloud.api_key)' },
        { label: 'profile', value: 'cloud (env TEMPORAL_PROFILE)' },
      ])
    );
    expect(report.target.address).toEqual({
      value: 'payments.a1b2c.tmprl.cloud:7233',
      source: 'profile profile.cloud.address',
    });
  });

  it('fails config.profile.not-found as the root cause, listing the profiles that exist', async () => {
    const { report, exitCode } = await runJson([], { env: { TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod' } });
    expect(exitCode).toBe(1);
    expect(report.rootCause).toMatchObject({ stage: 'config', check: 'config.profile.not-found' });
    expect(report.rootCause?.fix).toContain('default, cloud');
  });

  it('fails config.file.syntax as the root cause', async () => {
    const broken = join(dir, 'broken.toml');
    writeFileSync(broken, '[profile.default\naddress = "x"\n');
    const { report } = await runJson(['--only', 'config'], { env: { TEMPORAL_CONFIG_FILE: broken } });
    expect(report.rootCause).toMatchObject({ stage: 'config', check: 'config.file.syntax' });
  });

  it('fails config.tls.half-pair as the root cause, naming the missing setting', async () => {
    const { report, exitCode } = await runJson(['--only', 'config'], {
      env: { TEMPORAL_TLS_CLIENT_CERT_PATH: '/certs/client.pem' },
    });
    expect(exitCode).toBe(1);
    expect(report.rootCause).toMatchObject({ stage: 'config', check: 'config.tls.half-pair' });
    expect(report.rootCause?.fix).toContain('TEMPORAL_TLS_CLIENT_KEY_PATH');
  });

  it('fails on an API key with a trailing newline without ever printing the key', async () => {
    const env = { TEMPORAL_API_KEY: 'the-real-api-key-1234\n' };
    const { report, stdout } = await runJson(['--only', 'config'], { env });
    expect(report.rootCause?.check).toBe('config.api-key.whitespace');
    const text = await runCli(['--only', 'config', '-v'], { env });
    for (const output of [stdout, text.stdout]) expect(output).not.toContain('the-real-api-key');
  });

  it('warns about near-miss, empty and conflicting variables and the trust environment', async () => {
    const { report, exitCode } = await runJson(['--only', 'config'], {
      env: {
        TEMPORAL_HOST: 'temporal:7233',
        TEMPORAL_NAMESPACE: '',
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/a/ca.pem',
        TEMPORAL_SERVER_ROOT_CA_CERT_PATH: '/b/ca.pem',
        NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
        http_proxy: 'http://proxy:3128',
      },
    });
    expect(exitCode).toBe(0);
    expect(checkIds(report)).toEqual(
      expect.arrayContaining([
        'config.resolved:pass',
        'config.env.empty:warn',
        'config.env.conflict:warn',
        'config.env.near-miss:warn',
        'config.trust-env:pass',
      ])
    );
    expect(findCheck(report, 'config.env.near-miss')?.message).toContain('did you mean TEMPORAL_ADDRESS?');
    expect(report.status).toBe('warn');
  });
});
