import { describe, expect, it } from '@jest/globals';
import { resolveConfig, type Env } from '../../../src/config/resolve-config.js';
import { lintConfig, nearMissChecks, trustEnvCheck } from '../../../src/config/lint-config.js';
import type { SettingsInput } from '../../../src/options.js';

function lint(env: Env, settings: SettingsInput = {}) {
  const { config } = resolveConfig({ env, settings, platform: 'linux' });
  if (!config) throw new Error('expected a config');
  return lintConfig(config);
}
const ids = (checks: ReturnType<typeof lint>) => checks.map((c) => `${c.id}:${c.status}`);

describe('lintConfig', () => {
  it('finds nothing wrong with a plain local config or a complete mTLS pair', () => {
    expect(lint({})).toEqual([]);
    expect(lint({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/c.pem', TEMPORAL_TLS_CLIENT_KEY_PATH: '/k.pem' })).toEqual([]);
  });

  it('fails config.tls.half-pair for a certificate without a key, naming both settings', () => {
    const [check] = lint({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/c.pem' });
    expect(check).toMatchObject({ id: 'config.tls.half-pair', status: 'fail' });
    expect(check?.message).toBe('Client certificate is set (TEMPORAL_TLS_CLIENT_CERT_PATH) but no client key is');
    expect(check?.fix).toContain('--tls-key-path or TEMPORAL_TLS_CLIENT_KEY_PATH');
    expect(check?.fix).toContain('silently drops mTLS');
  });

  it('fails config.tls.half-pair for a key without a certificate', () => {
    const [check] = lint({}, { tlsKeyPath: '/k.pem' });
    expect(check?.message).toBe('Client key is set (--tls-key-path) but no client certificate is');
    expect(check?.fix).toContain('--tls-cert-path or TEMPORAL_TLS_CLIENT_CERT_PATH');
  });

  it('warns config.tls.off-with-material instead when TLS is explicitly off', () => {
    expect(ids(lint({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_CLIENT_CERT_PATH: '/c.pem' }))).toEqual([
      'config.tls.off-with-material:warn',
    ]);
  });

  it('warns config.namespace.case for capitals', () => {
    expect(ids(lint({ TEMPORAL_NAMESPACE: 'Payments.a1b2c' }))).toEqual(['config.namespace.case:warn']);
    expect(lint({ TEMPORAL_NAMESPACE: 'payments.a1b2c' })).toEqual([]);
  });

  it('warns config.api-key.tls-off when an API key meets TLS explicitly off', () => {
    const checks = lint({ TEMPORAL_API_KEY: 'key', TEMPORAL_TLS: '0' });
    expect(ids(checks)).toEqual(['config.api-key.tls-off:warn']);
    expect(checks[0]?.fix).toContain('clear text');
  });

  it.each([
    ['a trailing newline', 'secret-key\n', 'ends with a newline'],
    ['a trailing CRLF', 'secret-key\r\n', 'ends with a newline'],
    ['a newline inside', 'secret\nkey', 'contains a line break'],
    ['a leading space', ' secret-key', 'has leading whitespace'],
    ['a trailing space', 'secret-key ', 'has trailing whitespace'],
    ['a control character', 'secret\u0007key', 'contains a control character'],
  ])('fails config.api-key.whitespace for %s', (_name, key, problem) => {
    const checks = lint({ TEMPORAL_API_KEY: key });
    expect(ids(checks)).toEqual(['config.api-key.whitespace:fail']);
    expect(checks[0]?.message).toBe(`API key from TEMPORAL_API_KEY ${problem}`);
    expect(JSON.stringify(checks)).not.toContain('secret');
  });

  it('warns about an API key with a Bearer prefix or one that is a file path', () => {
    expect(ids(lint({ TEMPORAL_API_KEY: 'Bearer abc' }))).toEqual(['config.api-key.bearer-prefix:warn']);
    expect(ids(lint({ TEMPORAL_API_KEY: '/secrets/client.key' }))).toEqual(['config.api-key.looks-like-path:warn']);
  });

  it('fails config.api-key.and-authorization-meta when both are set', () => {
    const checks = lint({ TEMPORAL_API_KEY: 'key' }, { grpcMeta: ['authorization=Bearer other'] });
    expect(ids(checks)).toEqual(['config.api-key.and-authorization-meta:fail']);
    expect(checks[0]?.message).toContain('TEMPORAL_API_KEY');
    expect(checks[0]?.message).toContain('--grpc-meta');
    expect(JSON.stringify(checks)).not.toContain('Bearer other');
  });

  it('warns config.host-verification.unsupported when asked to skip host verification', () => {
    expect(ids(lint({ TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'true' }))).toEqual([
      'config.host-verification.unsupported:warn',
    ]);
    expect(lint({ TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'false' })).toEqual([]);
  });
});

describe('nearMissChecks', () => {
  it('warns config.env.near-miss with did-you-mean for each close name', () => {
    const checks = nearMissChecks({ TEMPORAL_HOST: 'x', TEMPORAL_NAMESPACE_ID: 'y', PATH: '/bin' });
    expect(checks.map((c) => c.message)).toEqual([
      'TEMPORAL_HOST is not a variable the Temporal SDK or CLI reads; did you mean TEMPORAL_ADDRESS?',
      'TEMPORAL_NAMESPACE_ID is not a variable the Temporal SDK or CLI reads; did you mean TEMPORAL_NAMESPACE?',
    ]);
    expect(checks.every((c) => c.id === 'config.env.near-miss' && c.status === 'warn')).toBe(true);
  });

  it('stays quiet when the intended name is set too', () => {
    expect(nearMissChecks({ TEMPORAL_HOST: 'x', TEMPORAL_ADDRESS: 'x:7233' })).toEqual([]);
  });
});

describe('trustEnvCheck', () => {
  it('passes with no trust or proxy variables', () => {
    expect(trustEnvCheck({})).toMatchObject({ id: 'config.trust-env', status: 'pass', evidence: [] });
  });

  it('passes listing trust-store variables and which stack reads each', () => {
    const check = trustEnvCheck({ NODE_EXTRA_CA_CERTS: '/ca.pem', SSL_CERT_FILE: '/etc/ssl/cert.pem' });
    expect(check.status).toBe('pass');
    expect(check.evidence).toEqual([
      { label: 'NODE_EXTRA_CA_CERTS', value: '/ca.pem (the Client trusts these CAs too; the Worker ignores it)' },
      {
        label: 'SSL_CERT_FILE',
        value: '/etc/ssl/cert.pem (the Worker (OS trust store) uses this file; the Client ignores it)',
      },
    ]);
  });

  it('lists proxy variables (the proxy stage judges them), hiding proxy credentials', () => {
    const check = trustEnvCheck({ https_proxy: 'http://user:pass@proxy:3128', no_proxy: 'localhost' });
    expect(check.status).toBe('pass');
    expect(check.message).toContain('proxy stage');
    expect(check.message).toContain('https_proxy');
    expect(JSON.stringify(check)).not.toContain('user:pass');
  });

  it('passes when only no_proxy is set', () => {
    expect(trustEnvCheck({ no_proxy: 'localhost' }).status).toBe('pass');
  });
});
