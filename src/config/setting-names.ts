// How fixes and evidence name what the user configured: a setting as the user set it, where a value came from, which
// credential is in use, and what to do when the server refuses that credential. One wording for every stage.
import type { ResolvedConfig, Setting, Source } from './resolved-config.js';
import type { AuthMode as CloudAuthMode } from '../knowledge/temporal-endpoints.js';
import type { SettingKey } from './settings.js';
import { settingSpec } from './settings.js';

/** The name the user used for a setting (`TEMPORAL_API_KEY`, `--address`), or its flag and env var when unset/default. */
export function settingRef(setting: Setting<unknown> | undefined, key: SettingKey): string {
  if (
    setting &&
    (setting.source.kind === 'flag' || setting.source.kind === 'env' || setting.source.kind === 'profile')
  ) {
    return setting.source.name;
  }
  const spec = settingSpec(key);
  return `--${spec.flag} or ${spec.env[0] ?? spec.flag}`;
}

export type AuthMode = 'api-key' | 'mtls' | 'authorization-header' | 'none';

export function authModeOf(config: ResolvedConfig): AuthMode {
  if (config.apiKey) return 'api-key';
  if (config.grpcMeta.authorization) return 'authorization-header';
  if (config.clientCert && config.clientKey) return 'mtls';
  return 'none';
}

/** Evidence describing the credential, never its value. */
export function authEvidence(config: ResolvedConfig): Record<string, string | undefined> {
  const mode = authModeOf(config);
  return {
    auth:
      mode === 'api-key'
        ? `API key from ${config.apiKey?.source.name}`
        : mode === 'mtls'
          ? `mTLS client certificate from ${config.clientCert?.source.name}`
          : mode === 'authorization-header'
            ? `authorization header from ${config.grpcMeta.authorization?.source.name}`
            : 'none',
    'API key': config.apiKey?.value.fingerprint(),
  };
}

/** Where a value came from, as evidence shows it: `flag --address`, `env TEMPORAL_ADDRESS`, `default`. */
export function describeSource(source: Source): string {
  return source.kind === 'default' ? 'default' : `${source.kind} ${source.name}`;
}

/** Which credentials are configured, as the Cloud endpoint rules weigh them (an authorization header counts as a key). */
export function cloudAuthMode(config: ResolvedConfig): CloudAuthMode {
  const apiKey =
    (config.apiKey !== undefined && config.apiKey.value.length > 0) || config.grpcMeta.authorization !== undefined;
  const mtls = config.clientCert !== undefined && config.clientKey !== undefined;
  return apiKey && mtls ? 'both' : apiKey ? 'api-key' : mtls ? 'mtls' : 'none';
}

/** What to do when the server says the credential in use may not do this (PERMISSION_DENIED). */
export function permissionFix(config: ResolvedConfig): string {
  switch (authModeOf(config)) {
    case 'api-key':
      return `The API key from ${config.apiKey?.source.name} is valid but not allowed here. Known causes: the key belongs to a user or service account without a role on this namespace; the namespace uses mTLS, not API keys; the address is another region's endpoint (use <namespace>.<account>.tmprl.cloud:7233 or the namespace's own regional endpoint); the key is for another namespace or account.`;
    case 'mtls':
      return `The client certificate from ${config.clientCert?.source.name} is not accepted for this namespace. Known causes: its CA is not among the namespace's accepted client CAs (tcld namespace accepted-client-ca list), or the certificate does not match the namespace's certificate filters (CN, O, OU, SAN).`;
    case 'authorization-header':
      return `The authorization header from ${config.grpcMeta.authorization?.source.name} is valid but not allowed here: check the role or claims it grants for this namespace.`;
    default:
      return 'The server requires an authorized identity and none was sent: configure the API key (--api-key / TEMPORAL_API_KEY) or the mTLS client certificate (--tls-cert-path / --tls-key-path) this namespace accepts.';
  }
}
