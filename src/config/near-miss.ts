// Did-you-mean for environment variable names and temporal.toml keys: names people really use by mistake (sample names,
// app-specific names, old CLI names: docs/research/common-failures.md#environment-variable-names) plus typos by edit
// distance.
import { SETTINGS } from './settings.js';
import { didYouMean } from '../text/did-you-mean.js';

export { didYouMean, editDistance } from '../text/did-you-mean.js';

/**
 * TEMPORAL_* names that are not the SDK's or the CLI's, mapped to the name that is
 * (docs/research/common-failures.md#environment-variable-names).
 */
const KNOWN_MISTAKES: Readonly<Record<string, string>> = {
  TEMPORAL_HOST: 'TEMPORAL_ADDRESS',
  TEMPORAL_HOST_URL: 'TEMPORAL_ADDRESS',
  TEMPORAL_HOSTPORT: 'TEMPORAL_ADDRESS',
  TEMPORAL_HOST_PORT: 'TEMPORAL_ADDRESS',
  TEMPORAL_URL: 'TEMPORAL_ADDRESS',
  TEMPORAL_ENDPOINT: 'TEMPORAL_ADDRESS',
  TEMPORAL_SERVER: 'TEMPORAL_ADDRESS',
  TEMPORAL_SERVER_URL: 'TEMPORAL_ADDRESS',
  TEMPORAL_SERVER_ADDRESS: 'TEMPORAL_ADDRESS',
  TEMPORAL_GRPC_ENDPOINT: 'TEMPORAL_ADDRESS',
  TEMPORAL_CLI_ADDRESS: 'TEMPORAL_ADDRESS',
  TEMPORAL_CLI_NAMESPACE: 'TEMPORAL_NAMESPACE',
  TEMPORAL_NAMESPACE_ID: 'TEMPORAL_NAMESPACE',
  TEMPORAL_NS: 'TEMPORAL_NAMESPACE',
  TEMPORAL_CLIENT_API_KEY: 'TEMPORAL_API_KEY',
  TEMPORAL_APIKEY: 'TEMPORAL_API_KEY',
  TEMPORAL_TLS_CA_CERT: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  TEMPORAL_CA_CERT: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  TEMPORAL_TLS_CA_PATH: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  TEMPORAL_TLS_CERT_PATH: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  TEMPORAL_TLS_KEY_PATH: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
  TEMPORAL_CLIENT_CERT: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  TEMPORAL_CLIENT_KEY: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
  TEMPORAL_MTLS_CERT: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  TEMPORAL_MTLS_KEY: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
  TEMPORAL_CLI_TLS_CERT: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  TEMPORAL_CLI_TLS_KEY: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
  TEMPORAL_CLI_TLS_CA: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  TEMPORAL_CLI_TLS_SERVER_NAME: 'TEMPORAL_TLS_SERVER_NAME',
  TEMPORAL_CLI_TLS_DISABLE_HOST_VERIFICATION: 'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION',
  TEMPORAL_TLS_ENABLED: 'TEMPORAL_TLS',
  TEMPORAL_USE_TLS: 'TEMPORAL_TLS',
  TEMPORAL_CONFIG: 'TEMPORAL_CONFIG_FILE',
  TEMPORAL_CONFIG_PATH: 'TEMPORAL_CONFIG_FILE',
};

/** Other TEMPORAL_* names the Temporal CLI, the SDKs or the dev server read: never reported as near misses. */
const OTHER_KNOWN_NAMES = [
  'TEMPORAL_ENV',
  'TEMPORAL_ENV_FILE',
  'TEMPORAL_CLIENT_AUTHORITY',
  'TEMPORAL_CLI_DISABLE_CONNECT_DIAGNOSIS',
  'TEMPORAL_CLI_SHOW_STACKS',
  'TEMPORAL_CORE_LOG_LEVEL',
  'TEMPORAL_DEBUG',
];

const PREFIX = 'TEMPORAL_';
export const GRPC_META_ENV_PREFIX = 'TEMPORAL_GRPC_META_';

/** Every TEMPORAL_* variable name the settings table knows, in table order. */
export function knownEnvNames(): string[] {
  return SETTINGS.flatMap((spec) => spec.env);
}

export interface NearMiss {
  name: string;
  suggestion: string;
}

/** Unknown TEMPORAL_* names that look like a known one, with the known name meant. */
export function findEnvNearMisses(names: Iterable<string>): NearMiss[] {
  const known = knownEnvNames();
  const exact = new Set([...known, ...OTHER_KNOWN_NAMES]);
  const misses: NearMiss[] = [];
  for (const name of names) {
    const upper = name.toUpperCase();
    if (!upper.startsWith(PREFIX) || upper.startsWith(GRPC_META_ENV_PREFIX)) continue;
    if (exact.has(name)) continue;
    // A known name in the wrong case: env names are case-sensitive on Unix, so the SDK does not see it.
    const suggestion = exact.has(upper) ? upper : (KNOWN_MISTAKES[upper] ?? closestEnvName(upper, known));
    if (suggestion) misses.push({ name, suggestion });
  }
  return misses;
}

function closestEnvName(name: string, known: readonly string[]): string | undefined {
  const suffix = didYouMean(
    name.slice(PREFIX.length),
    known.map((k) => k.slice(PREFIX.length))
  );
  return suffix === undefined ? undefined : PREFIX + suffix;
}
