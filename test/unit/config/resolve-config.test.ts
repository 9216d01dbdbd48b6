import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, parseCliBoolean, userConfigDir, type Env } from '../../../src/config/resolve-config.js';
import type { SettingsInput } from '../../../src/options.js';
import { Secret } from '../../../src/text/secret.js';

let dir: string;
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'resolve-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const resolve = (env: Env = {}, settings: SettingsInput = {}) => resolveConfig({ settings, env, platform: 'linux' });
const ids = (r: ReturnType<typeof resolve>) => r.checks.map((c) => `${c.id}:${c.status}`);
const check = (r: ReturnType<typeof resolve>, id: string) => r.checks.find((c) => c.id === id);

const PROFILES = `
[profile.default]
address = "profile-host:7233"
namespace = "profile-ns"

[profile.prod]
address = "prod.a1b2c.tmprl.cloud:7233"
namespace = "prod.a1b2c"
api_key = "profile-secret-key"

[profile.prod.grpc_meta]
x_team = "payments"

[profile.mtls.tls]
client_cert_path = "/certs/client.pem"
client_key_path = "/certs/client.key"
server_name = "mtls.example"

[profile.off.tls]
disabled = true
client_cert_path = "/certs/client.pem"
`;

describe('resolveConfig defaults and provenance', () => {
  it('falls back to localhost:7233, namespace default and TLS off, each marked as a default', () => {
    const { config, checks } = resolve();
    expect(checks).toEqual([]);
    expect(config?.address).toEqual({ value: 'localhost:7233', source: { kind: 'default', name: 'default' } });
    expect(config?.namespace).toEqual({ value: 'default', source: { kind: 'default', name: 'default' } });
    expect(config?.tls).toEqual({ value: false, source: { kind: 'default', name: 'default' } });
    expect(config?.profile).toEqual({
      name: 'default',
      source: { kind: 'default', name: 'default' },
      configFileFound: false,
    });
  });

  it('looks for the default file under $HOME/.config, or an absolute $XDG_CONFIG_HOME', () => {
    expect(resolve({ HOME: '/home/u' }).config?.profile.configFile).toBe('/home/u/.config/temporalio/temporal.toml');
    expect(resolve({ HOME: '/home/u', XDG_CONFIG_HOME: '/xdg' }).config?.profile.configFile).toBe(
      '/xdg/temporalio/temporal.toml'
    );
    expect(userConfigDir({ HOME: '/home/u', XDG_CONFIG_HOME: 'relative' }, 'linux')).toBeUndefined();
  });

  it('reads the default profile from $HOME/.config/temporalio/temporal.toml', () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.config', 'temporalio'), { recursive: true });
    writeFileSync(join(home, '.config', 'temporalio', 'temporal.toml'), PROFILES);
    const { config } = resolve({ HOME: home });
    expect(config?.address).toEqual({
      value: 'profile-host:7233',
      source: { kind: 'profile', name: 'profile.default.address' },
    });
    expect(config?.profile.configFileFound).toBe(true);
  });

  it('takes flags over environment over profile', () => {
    const path = file('precedence.toml', PROFILES);
    const env = { TEMPORAL_CONFIG_FILE: path, TEMPORAL_ADDRESS: 'env-host:7233', TEMPORAL_NAMESPACE: 'env-ns' };
    const { config } = resolve(env, { address: 'flag-host:7233' });
    expect(config?.address).toEqual({ value: 'flag-host:7233', source: { kind: 'flag', name: '--address' } });
    expect(config?.namespace).toEqual({ value: 'env-ns', source: { kind: 'env', name: 'TEMPORAL_NAMESPACE' } });
    expect(config?.profile.configFile).toBe(path);
  });

  it('picks the profile from --profile over TEMPORAL_PROFILE', () => {
    const path = file('pick.toml', PROFILES);
    const { config } = resolve({ TEMPORAL_CONFIG_FILE: path, TEMPORAL_PROFILE: 'default' }, { profile: 'prod' });
    expect(config?.profile).toMatchObject({ name: 'prod', source: { kind: 'flag', name: '--profile' } });
    expect(config?.namespace.value).toBe('prod.a1b2c');
    expect(config?.apiKey?.value).toBeInstanceOf(Secret);
    expect(config?.apiKey?.value.reveal()).toBe('profile-secret-key');
    expect(JSON.stringify(config)).not.toContain('profile-secret-key');
  });

  it('keeps PEM paths from a profile and turns TLS on because of them', () => {
    const { config } = resolve({ TEMPORAL_CONFIG_FILE: file('mtls.toml', PROFILES), TEMPORAL_PROFILE: 'mtls' });
    expect(config?.clientCert).toEqual({
      value: { kind: 'path', path: '/certs/client.pem' },
      source: { kind: 'profile', name: 'profile.mtls.tls.client_cert_path' },
    });
    expect(config?.serverName?.value).toBe('mtls.example');
    expect(config?.tls).toEqual({
      value: true,
      source: { kind: 'derived', name: 'implied by profile.mtls.tls.client_cert_path' },
    });
  });
});

describe('resolveConfig temporal.toml problems', () => {
  it('fails config.profile.not-found for a named profile that is absent, listing the profiles that exist', () => {
    const result = resolve({
      TEMPORAL_CONFIG_FILE: file('missing-profile.toml', PROFILES),
      TEMPORAL_PROFILE: 'staging',
    });
    expect(result.config).toBeUndefined();
    const notFound = check(result, 'config.profile.not-found');
    expect(notFound?.status).toBe('fail');
    expect(notFound?.message).toContain('TEMPORAL_PROFILE');
    expect(notFound?.fix).toContain('default, prod, mtls, off');
  });

  it('accepts an absent default profile and an absent default file', () => {
    expect(ids(resolve({ TEMPORAL_CONFIG_FILE: file('only-prod.toml', '[profile.prod]\naddress = "x:1"\n') }))).toEqual(
      []
    );
    expect(ids(resolve({ HOME: join(dir, 'nobody') }))).toEqual([]);
  });

  it('warns config.file.not-found when an explicitly named file is absent', () => {
    const result = resolve({ TEMPORAL_CONFIG_FILE: join(dir, 'nope.toml') });
    expect(ids(result)).toEqual(['config.file.not-found:warn']);
    expect(result.config?.profile.configFileFound).toBe(false);
  });

  it('fails config.profile.not-found when a profile is named but the file is absent', () => {
    const result = resolve({}, { configFile: join(dir, 'nope.toml'), profile: 'prod' });
    expect(ids(result)).toEqual(['config.file.not-found:warn', 'config.profile.not-found:fail']);
  });

  it('fails config.file.syntax with the loader message and position, without quoting the file', () => {
    const path = file('broken.toml', '[profile.default]\napi_key = "very-secret-value\naddress = "x"\n');
    const result = resolve({ TEMPORAL_CONFIG_FILE: path });
    expect(result.config).toBeUndefined();
    const syntax = check(result, 'config.file.syntax');
    expect(syntax?.status).toBe('fail');
    expect(syntax?.message).toMatch(/not valid TOML: Invalid TOML document/);
    expect(syntax?.evidence).toContainEqual({ label: 'line', value: '2' });
    expect(JSON.stringify(result.checks)).not.toContain('very-secret-value');
  });

  it('fails config.file.unreadable for a directory', () => {
    const result = resolve({}, { configFile: dir });
    expect(result.config).toBeUndefined();
    expect(check(result, 'config.file.unreadable')?.message).toContain('is a directory');
  });

  it('warns config.file.unknown-key with did-you-mean for keys the strict loader rejects', () => {
    const result = resolve({ TEMPORAL_CONFIG_FILE: file('typo.toml', '[profile.default]\naddres = "x:1"\n') });
    const unknown = check(result, 'config.file.unknown-key');
    expect(unknown?.status).toBe('warn');
    expect(unknown?.message).toContain('addres (did you mean address?)');
    expect(unknown?.message).toContain('profile.default');
  });

  it('does not report tls.disable_host_verification as a typo', () => {
    const result = resolve({
      TEMPORAL_CONFIG_FILE: file('dhv.toml', '[profile.default.tls]\ndisable_host_verification = true\n'),
    });
    expect(ids(result)).toEqual([]);
    expect(result.config?.disableHostVerification?.value).toBe(true);
  });

  it('warns config.file.wrong-type and ignores a value of the wrong type', () => {
    const result = resolve({ TEMPORAL_CONFIG_FILE: file('types.toml', '[profile.default]\naddress = 7233\n') });
    expect(ids(result)).toEqual(['config.file.wrong-type:warn']);
    expect(result.config?.address.value).toBe('localhost:7233');
  });
});

describe('resolveConfig environment names', () => {
  it('warns config.env.empty and lets an empty SDK-read variable wipe the profile value, as the SDK does', () => {
    const path = file('wipe.toml', PROFILES);
    const result = resolve({ TEMPORAL_CONFIG_FILE: path, TEMPORAL_ADDRESS: '' });
    expect(ids(result)).toEqual(['config.env.empty:warn']);
    expect(result.config?.address.source.kind).toBe('default');
    expect(check(result, 'config.env.empty')?.fix).toContain("profile's address");
  });

  it('notes that an empty TEMPORAL_API_KEY still turns TLS on', () => {
    const result = resolve({ TEMPORAL_API_KEY: '' });
    expect(check(result, 'config.env.empty')?.fix).toContain('still turns TLS on');
    expect(result.config?.apiKey).toBeUndefined();
    expect(result.config?.tls).toEqual({
      value: true,
      source: { kind: 'derived', name: 'implied by TEMPORAL_API_KEY (set but empty)' },
    });
  });

  it('warns config.env.conflict when the CLI name and the sample name disagree, naming the winner', () => {
    const result = resolve({
      TEMPORAL_TLS_CLIENT_CERT_PATH: '/a/client.pem',
      TEMPORAL_CLIENT_CERT_PATH: '/b/client.pem',
    });
    const conflict = check(result, 'config.env.conflict');
    expect(conflict?.message).toBe(
      "TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_CLIENT_CERT_PATH are both set and disagree; TEMPORAL_TLS_CLIENT_CERT_PATH wins; the SDK's envconfig and the Temporal CLI read TEMPORAL_TLS_CLIENT_CERT_PATH"
    );
    expect(result.config?.clientCert?.source.name).toBe('TEMPORAL_TLS_CLIENT_CERT_PATH');
  });

  it('does not warn when two names agree', () => {
    expect(ids(resolve({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/a.pem', TEMPORAL_CLIENT_CERT_PATH: '/a.pem' }))).toEqual([]);
  });

  it('never shows secret values in a conflict', () => {
    const result = resolve({ TEMPORAL_TLS_CLIENT_KEY_DATA: 'key-one-secret', TEMPORAL_TLS_KEY_DATA: 'key-two-secret' });
    expect(ids(result)).toContain('config.env.conflict:warn');
    expect(JSON.stringify(result.checks)).not.toMatch(/key-(one|two)-secret/);
  });

  it('uses a sample name when the CLI name is not set', () => {
    const { config, checks } = resolve({ TEMPORAL_CLIENT_KEY_PATH: '/k.pem', TEMPORAL_CLIENT_CERT_PATH: '/c.pem' });
    expect(checks).toEqual([]);
    expect(config?.clientKey?.source).toEqual({ kind: 'env', name: 'TEMPORAL_CLIENT_KEY_PATH' });
  });

  it('warns config.env.legacy when a legacy name supplies the value', () => {
    const result = resolve({ TEMPORAL_TLS_CA: '/ca.pem' });
    expect(ids(result)).toEqual(['config.env.legacy:warn']);
    expect(check(result, 'config.env.legacy')?.fix).toContain('TEMPORAL_TLS_SERVER_CA_CERT_PATH');
    expect(result.config?.serverCa?.source.name).toBe('TEMPORAL_TLS_CA');
  });

  it('does not call a legacy name the source when a flag overrides it', () => {
    const result = resolve({ TEMPORAL_TLS_CA: '/ca.pem' }, { tlsCaPath: '/flag-ca.pem' });
    expect(ids(result)).toEqual([]);
    expect(result.config?.serverCa?.source.name).toBe('--tls-ca-path');
  });

  it('warns config.env.bool-value for a boolean variable the CLI cannot read', () => {
    const result = resolve({ TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'maybe' });
    expect(ids(result)).toEqual(['config.env.bool-value:warn']);
    expect(result.config?.disableHostVerification).toBeUndefined();
  });
});

describe('resolveConfig TLS on or off', () => {
  it.each<[string, Env, SettingsInput, boolean, string]>([
    ['--tls=false over an API key', { TEMPORAL_API_KEY: 'k' }, { tls: false }, false, '--tls'],
    [
      'TEMPORAL_TLS=false over a client cert',
      { TEMPORAL_TLS: 'false', TEMPORAL_TLS_CLIENT_CERT_PATH: '/c' },
      {},
      false,
      'TEMPORAL_TLS',
    ],
    ['TEMPORAL_TLS=1', { TEMPORAL_TLS: '1' }, {}, true, 'TEMPORAL_TLS'],
    ['an API key flag', {}, { apiKey: 'k' }, true, 'implied by --api-key'],
    ['an API key variable', { TEMPORAL_API_KEY: 'k' }, {}, true, 'implied by TEMPORAL_API_KEY'],
    ['a server name', { TEMPORAL_TLS_SERVER_NAME: 'x' }, {}, true, 'implied by TEMPORAL_TLS_SERVER_NAME'],
    ['CA data', { TEMPORAL_TLS_SERVER_CA_CERT_DATA: 'pem' }, {}, true, 'implied by TEMPORAL_TLS_SERVER_CA_CERT_DATA'],
    ['nothing', {}, {}, false, 'default'],
  ])('decides TLS from %s', (_name, env, settings, on, sourceName) => {
    const { config } = resolve(env, settings);
    expect(config?.tls.value).toBe(on);
    expect(config?.tls.source.name).toBe(sourceName);
  });

  it('takes profile tls.disabled as explicit', () => {
    const { config } = resolve({ TEMPORAL_CONFIG_FILE: file('off.toml', PROFILES), TEMPORAL_PROFILE: 'off' });
    expect(config?.tls).toEqual({ value: false, source: { kind: 'profile', name: 'profile.off.tls.disabled' } });
    expect(config?.tlsExplicit?.value).toBe(false);
  });

  it('turns TLS on for a [profile.x.tls] table with nothing but unknown keys, as the SDK does', () => {
    const { config } = resolve({ TEMPORAL_CONFIG_FILE: file('tls-table.toml', '[profile.default.tls]\nfoo = 1\n') });
    expect(config?.tls.source.name).toBe('implied by the [profile.default.tls] table');
  });

  it.each(['TRUE', 'True', 'yes', 'on'])(
    'warns config.env.tls-value for TEMPORAL_TLS=%s, which the TypeScript envconfig reads as off',
    (value) => {
      const result = resolve({ TEMPORAL_TLS: value });
      const tlsValue = check(result, 'config.env.tls-value');
      expect(tlsValue?.status).toBe('warn');
      expect(tlsValue?.message).toContain("TypeScript SDK's envconfig reads it as TLS disabled");
      expect(result.config?.tls.value).toBe(parseCliBoolean(value) ?? false);
    }
  );

  it.each(['true', '1', '0', 'false', 'FALSE'])(
    'does not warn for TEMPORAL_TLS=%s, read the same way by both',
    (value) => {
      expect(check(resolve({ TEMPORAL_TLS: value }), 'config.env.tls-value')).toBeUndefined();
    }
  );
});

describe('resolveConfig PEM slots and gRPC metadata', () => {
  it('fails config.tls.path-and-data when path and data come from the environment together', () => {
    const result = resolve({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/c.pem', TEMPORAL_TLS_CLIENT_CERT_DATA: 'pem' });
    const both = check(result, 'config.tls.path-and-data');
    expect(both?.status).toBe('fail');
    expect(both?.message).toContain('TEMPORAL_TLS_CLIENT_CERT_PATH');
    expect(both?.message).toContain('TEMPORAL_TLS_CLIENT_CERT_DATA');
    expect(result.config?.clientCert?.value).toEqual({ kind: 'path', path: '/c.pem' });
  });

  it('lets a flag override a lower layer for the other form without failing', () => {
    const result = resolve({ TEMPORAL_TLS_CLIENT_CERT_DATA: 'pem' }, { tlsCertPath: '/c.pem' });
    expect(ids(result)).toEqual([]);
    expect(result.config?.clientCert?.source.name).toBe('--tls-cert-path');
  });

  it('keeps inline key data as a Secret', () => {
    const { config } = resolve({ TEMPORAL_TLS_CLIENT_KEY_DATA: 'secret-key-pem' });
    expect(config?.clientKey?.value).toEqual({ kind: 'data', data: expect.any(Secret) });
    expect(JSON.stringify(config)).not.toContain('secret-key-pem');
  });

  it('merges gRPC metadata flag > env > profile, as Secrets, and lets an empty variable delete a header', () => {
    const path = file(
      'meta.toml',
      '[profile.default.grpc_meta]\nx_team = "payments"\nx_drop = "gone"\nx_over = "profile"\n'
    );
    const { config } = resolve(
      { TEMPORAL_CONFIG_FILE: path, TEMPORAL_GRPC_META_X_DROP: '', TEMPORAL_GRPC_META_X_OVER: 'env' },
      { grpcMeta: ['X-Flag=flag-value'] }
    );
    const meta = Object.fromEntries(
      Object.entries(config?.grpcMeta ?? {}).map(([k, v]) => [k, `${v.value.reveal()}@${v.source.name}`])
    );
    expect(meta).toEqual({
      'x-team': 'payments@profile.default.grpc_meta.x_team',
      'x-over': 'env@TEMPORAL_GRPC_META_X_OVER',
      'x-flag': 'flag-value@--grpc-meta',
    });
  });

  it('warns config.grpc-meta.malformed for a --grpc-meta without =', () => {
    expect(ids(resolve({}, { grpcMeta: ['novalue'] }))).toEqual(['config.grpc-meta.malformed:warn']);
  });
});
