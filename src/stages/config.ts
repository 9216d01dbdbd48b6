// Resolves the settings the SDK would use (flags > environment > temporal.toml profile) and reports problems that
// no network probe can show. Facts are returned whenever the settings are known, even when a rule fails (a half pair,
// a bad API key): dns and tcp then still give evidence, while the root cause stays here because config runs first.
// Facts are withheld only when the settings cannot be known (unreadable or invalid temporal.toml, missing profile).
import type { CheckResult } from '../pipeline/types.js';
import { evidence, pass, stopwatch } from '../pipeline/check.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { resolveConfig } from '../config/resolve-config.js';
import { addResolvedSecrets } from '../config/run-secrets.js';
import { lintConfig, nearMissChecks, trustEnvCheck } from '../config/lint-config.js';
import { authEvidence, describeSource } from '../config/setting-names.js';
import { visible } from '../text/sanitize.js';
import { defineStage } from '../facts.js';

export const configStage = defineStage({
  id: 'config',
  title: 'Configuration',
  needs: [],
  async run(ctx) {
    const elapsed = stopwatch();
    const { config, checks } = resolveConfig({ settings: ctx.options.settings, env: ctx.options.env });
    const environment = [...nearMissChecks(ctx.options.env), trustEnvCheck(ctx.options.env)];
    if (!config) return { checks: [...checks, ...environment] };
    // The profile's secrets (api_key, grpc_meta, codec.auth, inline key data) are known only now.
    addResolvedSecrets(ctx.options.secrets, config);
    const resolved = resolvedCheck(config, elapsed());
    return { checks: [resolved, ...checks, ...lintConfig(config), ...environment], facts: config };
  },
});

function resolvedCheck(config: ResolvedConfig, durationMs: number): CheckResult {
  const auth = authEvidence(config).auth ?? 'none';
  const tls = config.tls.value ? 'on' : 'off';
  const file = config.profile.configFile;
  return pass(
    'config.resolved',
    `Target ${visible(config.address.value)}, namespace ${visible(config.namespace.value)}, TLS ${tls}, auth ${auth === 'none' ? 'none' : auth.split(' from ')[0]}`,
    {
      durationMs,
      evidence: evidence({
        address: `${config.address.value} (${describeSource(config.address.source)})`,
        namespace: `${config.namespace.value} (${describeSource(config.namespace.source)})`,
        tls: `${tls} (${describeSource(config.tls.source)})`,
        auth,
        'API key': config.apiKey?.value.fingerprint(),
        'server name': config.serverName
          ? `${config.serverName.value} (${describeSource(config.serverName.source)})`
          : undefined,
        'gRPC metadata': Object.keys(config.grpcMeta).join(', ') || undefined,
        profile: `${config.profile.name} (${describeSource(config.profile.source)})`,
        'config file': file ? `${file}${config.profile.configFileFound ? '' : ' (not found)'}` : undefined,
      }),
    }
  );
}
