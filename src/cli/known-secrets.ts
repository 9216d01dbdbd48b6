// The secret values this run was given (flags and environment), so the output boundary can scrub them verbatim even
// if a future check echoed one. The report model never holds them; this is the second lock on the same door.
import { SETTINGS } from '../config/settings.js';
import type { SettingsInput } from '../config/settings.js';
import { proxyPasswords } from '../knowledge/proxy-rules.js';

export function knownSecrets(settings: SettingsInput, env: Record<string, string | undefined>): string[] {
  const values: string[] = [];
  for (const spec of SETTINGS) {
    if (!spec.secret) continue;
    const given = settings[spec.key];
    if (typeof given === 'string') values.push(given);
    // --grpc-meta KEY=VALUE: the value is the credential.
    if (Array.isArray(given)) values.push(...given.map((pair) => pair.slice(pair.indexOf('=') + 1)));
    for (const name of spec.env) {
      const value = env[name];
      if (value) values.push(value);
    }
  }
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('TEMPORAL_GRPC_META_') && value) values.push(value);
  }
  // Proxy passwords, from the variables grpc-js reads and from --worker-proxy (the URL is shown with *** instead).
  values.push(...proxyPasswords(env, typeof settings.workerProxy === 'string' ? settings.workerProxy : undefined));
  return values;
}
