// Rules over the resolved settings and the process environment: combinations that one SDK stack rejects, silently
// changes or never applies (docs/research/sdk-stacks.md#envconfig-traps, #where-the-stacks-disagree,
// #trust-variables, #proxy-variables; docs/research/common-failures.md#client-certificates,
// #cloud-authentication-modes, #environment-variable-names).
import { redactProxyUrl } from '../knowledge/proxy-rules.js';
import type { CheckResult } from '../pipeline/types.js';
import { evidence, fail, pass, warn } from '../pipeline/check.js';
import type { ResolvedConfig, Setting, PemInput } from './resolved-config.js';
import { settingSpec, type SettingKey } from './settings.js';
import { describeSource } from './setting-names.js';
import { findEnvNearMisses } from './near-miss.js';
import type { Env } from './resolve-config.js';

export function lintConfig(config: ResolvedConfig): CheckResult[] {
  return [
    ...tlsMaterialChecks(config),
    ...apiKeyChecks(config),
    ...namespaceChecks(config),
    ...hostVerificationChecks(config),
  ];
}

/** "--tls-key-path or TEMPORAL_TLS_CLIENT_KEY_PATH": how to set a slot that is missing. */
function howToSet(key: SettingKey): string {
  const spec = settingSpec(key);
  return `--${spec.flag} or ${spec.env[0]}`;
}

function tlsMaterialChecks(config: ResolvedConfig): CheckResult[] {
  const { clientCert, clientKey } = config;
  const checks: CheckResult[] = [];
  if (!config.tls.value) {
    const unused = [clientCert, clientKey, config.serverCa, config.serverName].filter(
      (s): s is Setting<PemInput> | Setting<string> => s !== undefined
    );
    if (unused.length > 0) {
      checks.push(
        warn(
          'config.tls.off-with-material',
          `TLS is off (${describeSource(config.tls.source)}) but TLS settings are given: ${unused.map((s) => s.source.name).join(', ')}`,
          {
            evidence: evidence({
              tls: `off (${describeSource(config.tls.source)})`,
              ignored: unused.map((s) => s.source.name).join(', '),
            }),
            fix: `Remove ${config.tls.source.name} (or set it to true) if the server expects TLS; otherwise remove the unused TLS settings.`,
          }
        )
      );
    }
    return checks;
  }
  if (clientCert && !clientKey) {
    checks.push(halfPair('Client certificate', clientCert, 'client key', howToSet('tlsKeyPath')));
  } else if (clientKey && !clientCert) {
    checks.push(halfPair('Client key', clientKey, 'client certificate', howToSet('tlsCertPath')));
  }
  return checks;
}

function halfPair(given: string, setting: Setting<PemInput>, missing: string, missingNames: string): CheckResult {
  return fail('config.tls.half-pair', `${given} is set (${setting.source.name}) but no ${missing} is`, {
    evidence: evidence({ given: `${setting.source.name}`, missing: missingNames }),
    fix: `Set ${missingNames} to the ${missing} that belongs with ${setting.source.name}, or unset ${setting.source.name}: the TypeScript SDK silently drops mTLS when only one of the pair is given (the Go SDK refuses the config).`,
  });
}

function apiKeyChecks(config: ResolvedConfig): CheckResult[] {
  const apiKey = config.apiKey;
  if (!apiKey) return [];
  const name = apiKey.source.name;
  const value = apiKey.value.reveal();
  const checks: CheckResult[] = [];
  if (config.tls.value === false && config.tlsExplicit?.value === false) {
    checks.push(
      warn(
        'config.api-key.tls-off',
        `An API key is set (${name}) but TLS is turned off by ${config.tlsExplicit.source.name}`,
        {
          evidence: evidence({
            'API key': apiKey.value.fingerprint(),
            tls: `off (${describeSource(config.tlsExplicit.source)})`,
          }),
          fix: `Remove ${config.tlsExplicit.source.name} or set it to true: Temporal Cloud requires TLS, and without it the key travels in clear text.`,
        }
      )
    );
  }
  const whitespace = describeWhitespace(value);
  if (whitespace) {
    checks.push(
      fail('config.api-key.whitespace', `API key from ${name} ${whitespace}`, {
        evidence: evidence({ 'API key': apiKey.value.fingerprint(), problem: whitespace }),
        fix: `Strip the whitespace from ${name} (for a key read from a file: "$(tr -d '\\r\\n' < keyfile)"): the Client rejects it ("Metadata string value ... contains illegal characters") and the Worker silently sends no authorization header.`,
      })
    );
  }
  if (/^bearer\s/i.test(value.trim())) {
    checks.push(
      warn('config.api-key.bearer-prefix', `API key from ${name} starts with "Bearer "`, {
        evidence: evidence({ 'API key': apiKey.value.fingerprint() }),
        fix: `Remove the "Bearer " prefix from ${name}: the SDK adds it, so the server receives "Bearer Bearer ...".`,
      })
    );
  }
  if (/^(~|\.{0,2})\/|\.(pem|key|crt|txt)$/i.test(value.trim())) {
    checks.push(
      warn('config.api-key.looks-like-path', `API key from ${name} looks like a file path, not a key`, {
        evidence: evidence({ 'API key': apiKey.value.fingerprint() }),
        fix: `Put the key itself in ${name} (for example ${name}="$(cat keyfile)"), not the path of a file; with mTLS, do not set an API key at all.`,
      })
    );
  }
  const authorization = config.grpcMeta.authorization;
  if (authorization) {
    checks.push(
      fail(
        'config.api-key.and-authorization-meta',
        `Both an API key (${name}) and an authorization gRPC header (${authorization.source.name}) are set`,
        {
          evidence: evidence({ 'API key': name, 'authorization header': authorization.source.name }),
          fix: `Remove one of ${name} and ${authorization.source.name}: the SDK sends the API key as the authorization header itself and refuses both ("Both apiKey option and Authorization header were provided").`,
        }
      )
    );
  }
  return checks;
}

/** What is wrong with whitespace in a header value, or undefined. */
function describeWhitespace(value: string): string | undefined {
  if (/[\r\n]\s*$/.test(value)) return 'ends with a newline';
  if (/[\r\n]/.test(value)) return 'contains a line break';
  if (value !== value.trim()) return /^\s/.test(value) ? 'has leading whitespace' : 'has trailing whitespace';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'contains a control character';
  return undefined;
}

function namespaceChecks(config: ResolvedConfig): CheckResult[] {
  const namespace = config.namespace;
  if (!/[A-Z]/.test(namespace.value)) return [];
  return [
    warn('config.namespace.case', `Namespace ${namespace.value} has capital letters`, {
      evidence: evidence({ namespace: namespace.value, from: describeSource(namespace.source) }),
      fix: `Check the exact namespace name in ${namespace.source.name}: namespace names are case-sensitive and are almost always lower case (on Temporal Cloud, <name>.<account-id>).`,
    }),
  ];
}

function hostVerificationChecks(config: ResolvedConfig): CheckResult[] {
  const setting = config.disableHostVerification;
  if (!setting?.value) return [];
  return [
    warn(
      'config.host-verification.unsupported',
      `${setting.source.name} asks to skip server name verification, which the TypeScript SDK cannot do`,
      {
        evidence: evidence({ setting: setting.source.name }),
        fix: `Set --tls-server-name or TEMPORAL_TLS_SERVER_NAME to a name in the server certificate instead; the TypeScript SDK ignores ${setting.source.name} (and it still turns TLS on).`,
      }
    ),
  ];
}

// ---- the environment around the settings ---------------------------------------------------------------------------

export function nearMissChecks(env: Env): CheckResult[] {
  const set = Object.keys(env).filter((name) => env[name] !== undefined);
  return findEnvNearMisses(set)
    .filter((miss) => !env[miss.suggestion])
    .map((miss) =>
      warn(
        'config.env.near-miss',
        `${miss.name} is not a variable the Temporal SDK or CLI reads; did you mean ${miss.suggestion}?`,
        {
          evidence: evidence({ variable: miss.name, 'did you mean': miss.suggestion }),
          fix: `Rename ${miss.name} to ${miss.suggestion}, unless your own code reads ${miss.name} and passes it on.`,
        }
      )
    );
}

/**
 * Trust-store variables: which stack each one changes (docs/research/sdk-stacks.md#trust-variables,
 * #environment-sensitivity).
 */
const TRUST_VARIABLES: Record<string, string> = {
  NODE_EXTRA_CA_CERTS: 'the Client trusts these CAs too; the Worker ignores it',
  GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: 'the Client uses this file as its default roots; the Worker ignores it',
  SSL_CERT_FILE: 'the Worker (OS trust store) uses this file; the Client ignores it',
  SSL_CERT_DIR: 'the Worker (OS trust store) uses this directory; the Client ignores it',
};

/**
 * Proxy variables: grpc-js reads the lower-case ones in this order; Core reads none
 * (docs/research/sdk-stacks.md#proxy-variables).
 */
const PROXY_VARIABLES: Record<string, string> = {
  grpc_proxy: 'the Client connects through it; the Worker ignores it',
  https_proxy: 'the Client connects through it unless grpc_proxy is set; the Worker ignores it',
  http_proxy: 'the Client connects through it unless grpc_proxy or https_proxy is set; the Worker ignores it',
  GRPC_PROXY: 'neither stack reads the upper-case name',
  HTTPS_PROXY: 'neither stack reads the upper-case name',
  HTTP_PROXY: 'neither stack reads the upper-case name',
  no_grpc_proxy: 'the Client skips its proxy for these hosts',
  no_proxy: 'the Client skips its proxy for these hosts (unless no_grpc_proxy is set)',
  NO_PROXY: 'neither stack reads the upper-case name',
};

export function trustEnvCheck(env: Env): CheckResult {
  const trust = Object.keys(TRUST_VARIABLES).filter((name) => env[name]);
  const proxies = Object.keys(PROXY_VARIABLES).filter((name) => env[name]);
  const pairs = [
    ...trust.map((name) => ({ label: name, value: `${env[name]} (${TRUST_VARIABLES[name]})` })),
    ...proxies.map((name) => ({ label: name, value: `${redactProxyUrl(env[name] ?? '')} (${PROXY_VARIABLES[name]})` })),
  ];
  const routing = proxies.filter((name) => !name.toLowerCase().startsWith('no_'));
  if (routing.length > 0) {
    // Whether and how they apply to this target is the proxy stage's judgement (src/stages/proxy.ts).
    return pass(
      'config.trust-env',
      `Proxy variables are set (${routing.join(', ')}): the proxy stage checks the path each stack takes`,
      { evidence: pairs }
    );
  }
  if (trust.length > 0) {
    return pass(
      'config.trust-env',
      `Trust-store variables are set (${trust.join(', ')}): they change what each SDK stack trusts`,
      { evidence: pairs }
    );
  }
  return pass('config.trust-env', 'No trust-store or proxy variables are set');
}
