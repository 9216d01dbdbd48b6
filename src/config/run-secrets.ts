// Feeds the run's secret registry (text/secret-registry.ts) from every source the settings table knows: flags and
// environment before the run, the resolved configuration (temporal.toml profile, inline PEM) once the config stage has
// it, proxy passwords from the environment, and the codec token inside `Authorization: <scheme> <token>`.
import { SETTINGS, type SettingsInput } from './settings.js';
import type { ResolvedConfig } from './resolved-config.js';
import { SecretRegistry } from '../text/secret-registry.js';

/** Environment variables that may carry `user:password@` (the proxies grpc-js, undici and the Worker honour). */
export const PROXY_ENV = [
  'https_proxy',
  'HTTPS_PROXY',
  'http_proxy',
  'HTTP_PROXY',
  'grpc_proxy',
  'GRPC_PROXY',
  'all_proxy',
  'ALL_PROXY',
] as const;

/** Flags (or library options) and environment: everything known before any file is read. */
export function secretsFromInput(
  settings: SettingsInput,
  env: Record<string, string | undefined>,
  registry = new SecretRegistry()
): SecretRegistry {
  for (const spec of SETTINGS) {
    const given = settings[spec.key];
    const fromEnv = spec.env.map((name) => env[name]);
    if (spec.key === 'address') {
      for (const value of [given, ...fromEnv]) if (typeof value === 'string') registry.addUrlCredentials(value);
    }
    if (spec.key === 'codecEndpoint') {
      for (const value of [given, ...fromEnv]) if (typeof value === 'string') registry.addUrlCredentials(value);
    }
    if (!spec.secret) continue;
    const add = (value: string | undefined): void => {
      if (spec.key === 'codecAuth') registry.addAuthorization(value);
      else if (spec.key === 'apiKey') addApiKey(registry, value);
      else registry.add(value);
    };
    if (typeof given === 'string') add(given);
    // --grpc-meta KEY=VALUE: the value is the credential (and may itself be `Bearer <token>`).
    if (Array.isArray(given)) for (const pair of given) registry.addAuthorization(pair.slice(pair.indexOf('=') + 1));
    for (const value of fromEnv) add(value);
  }
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('TEMPORAL_GRPC_META_') && value) registry.addAuthorization(value);
  }
  for (const name of PROXY_ENV) registry.addUrlCredentials(env[name]);
  return registry;
}

/** The settings as resolved (profile values included): every Secret in them, and passwords inside URLs. */
export function addResolvedSecrets(registry: SecretRegistry, config: ResolvedConfig): SecretRegistry {
  addApiKey(registry, config.apiKey?.value.reveal());
  registry.addAuthorization(config.codecAuth?.value);
  for (const meta of Object.values(config.grpcMeta)) registry.addAuthorization(meta.value);
  // Inline key data; a key read from a file is registered by the pem stage. Certificates are public.
  if (config.clientKey?.value.kind === 'data') registry.add(config.clientKey.value.data);
  registry.addUrlCredentials(config.address.value);
  registry.addUrlCredentials(config.codecEndpoint?.value);
  return registry;
}

/** The key, and the header value it travels in (`authorization: Bearer <key>`), which a server may quote encoded. */
function addApiKey(registry: SecretRegistry, value: string | undefined): void {
  if (!value) return;
  registry.add(value).add(`Bearer ${value.trim()}`);
}
