// Shared wording for the grpc and namespace stages: how to name a setting in a fix, and which credential is in use.
import type { ResolvedConfig, Setting } from './resolved-config.js';
import type { SettingKey } from './settings.js';
import { settingSpec } from './settings.js';

/** The name the user used for a setting (`TEMPORAL_API_KEY`, `--address`), or its flag and env var when unset/default. */
export function settingRef(setting: Setting<unknown> | undefined, key: SettingKey): string {
  if (setting && (setting.source.kind === 'flag' || setting.source.kind === 'env' || setting.source.kind === 'profile')) {
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
