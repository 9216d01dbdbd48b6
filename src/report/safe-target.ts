// The effective settings as they may be shown anywhere: every secret becomes a fingerprint, never its value.
import { describeSource } from '../config/setting-names.js';
import type { ResolvedConfig, Setting, PemInput } from '../config/resolved-config.js';
import type { SafeSetting } from './model.js';
import { Secret } from '../text/secret.js';
import { sanitize, visible } from '../text/sanitize.js';
import { redactProxyUrl } from '../knowledge/proxy-rules.js';

function show(setting: Setting<unknown>): SafeSetting {
  const value = setting.value;
  let text: string;
  if (value instanceof Secret) text = value.fingerprint();
  else if (isPemInput(value)) text = value.kind === 'path' ? value.path : `inline PEM ${value.data.fingerprint()}`;
  else text = String(value);
  return { value: visible(text, 300), source: sanitize(describeSource(setting.source), 300) };
}

function isPemInput(value: unknown): value is PemInput {
  return (
    typeof value === 'object' && value !== null && 'kind' in value && (value.kind === 'path' || value.kind === 'data')
  );
}

export function safeTarget(config: ResolvedConfig | undefined): Record<string, SafeSetting> {
  if (!config) return {};
  const target: Record<string, SafeSetting> = {
    address: show(config.address),
    namespace: show(config.namespace),
    tls: show(config.tls),
    profile: { value: sanitize(config.profile.name), source: describeSource(config.profile.source) },
  };
  const optional: Array<[string, Setting<unknown> | undefined]> = [
    ['apiKey', config.apiKey],
    ['clientCert', config.clientCert],
    ['clientKey', config.clientKey],
    ['serverCa', config.serverCa],
    ['serverName', config.serverName],
    ['disableHostVerification', config.disableHostVerification],
    ['taskQueue', config.taskQueue],
    ['codecEndpoint', config.codecEndpoint],
    ['codecAuth', config.codecAuth],
    ['cloudApiKey', config.cloudApiKey],
    ['cloudApiAddress', config.cloudApiAddress],
    ['clientAuthority', config.clientAuthority],
  ];
  for (const [name, setting] of optional) if (setting) target[name] = show(setting);
  // The proxy URL is useful to see; only its password is the secret.
  if (config.workerProxy)
    target.workerProxy = {
      value: redactProxyUrl(config.workerProxy.value.reveal()),
      source: sanitize(describeSource(config.workerProxy.source), 300),
    };
  for (const [key, setting] of Object.entries(config.grpcMeta))
    target[`grpcMeta.${sanitize(key, 100)}`] = show(setting);
  for (const [key, setting] of Object.entries(config.codecHeaders ?? {}))
    target[`codecHeader.${sanitize(key, 100)}`] = show(setting);
  if (config.profile.configFile) {
    target.configFile = {
      value: sanitize(config.profile.configFile, 300) + (config.profile.configFileFound ? '' : ' (not found)'),
      source: 'derived',
    };
  }
  return target;
}
