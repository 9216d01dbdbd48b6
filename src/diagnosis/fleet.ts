// Fleet runs (--all-profiles, --profiles a,b): one diagnosis per temporal.toml profile, a bounded number at a time,
// gathered into one FleetReport that every output format renders. Flags and TEMPORAL_* variables still apply to each
// profile with their usual precedence (flags > environment > profile), exactly as an app using that profile sees them.
import { attachSecrets } from '../text/secret-registry.js';
import { join } from 'node:path';
import type { DoctorOptions } from '../options.js';
import type { FleetReport, Report } from '../report/model.js';
import { runDiagnosis } from './diagnose.js';
import { runRepeated } from './repeat.js';
import { readProfileNames, userConfigDir } from '../config/resolve-config.js';
import { TOOL_VERSION } from '../version.js';
import { worst } from '../pipeline/check.js';
import { passUnlessProblem } from '../report/verdict.js';

import { DEFAULT_CONCURRENCY } from '../options.js';

export interface FleetOptions {
  profiles: string[];
  /** Targets diagnosed at the same time. @default 8 */
  concurrency?: number;
  /** --repeat N for every target. @default 1 */
  attempts?: number;
  /** The flag that chose the profiles, for provenance when a profile's settings cannot be resolved. */
  selectedBy?: string;
}

export class FleetConfigError extends Error {}

/**
 * Profile names in temporal.toml, in file order, read by the SDK's own loader. The file is `configFile`, else
 * TEMPORAL_CONFIG_FILE, else the default location, as the SDK looks for it.
 */
export function listProfiles(configFile: string | undefined, env: Record<string, string | undefined>): string[] {
  const path = configFile ?? env.TEMPORAL_CONFIG_FILE ?? defaultConfigFile(env);
  const read = path === undefined ? { names: [] } : readProfileNames(path);
  if ('problem' in read)
    throw new FleetConfigError(`cannot read profiles from ${describeFile(configFile, env)}: it ${read.problem}`);
  if (!read.names.length) throw new FleetConfigError(`no profiles found in ${describeFile(configFile, env)}`);
  return read.names;
}

function defaultConfigFile(env: Record<string, string | undefined>): string | undefined {
  const dir = userConfigDir(env, process.platform);
  return dir ? join(dir, 'temporalio', 'temporal.toml') : undefined;
}

function describeFile(configFile: string | undefined, env: Record<string, string | undefined>): string {
  if (configFile) return configFile;
  if (env.TEMPORAL_CONFIG_FILE) return `${env.TEMPORAL_CONFIG_FILE} (TEMPORAL_CONFIG_FILE)`;
  return defaultConfigFile(env) ?? 'the default temporal.toml (no home directory set)';
}

export async function runFleet(base: DoctorOptions, fleet: FleetOptions): Promise<FleetReport> {
  const started = base.now();
  const startedMs = performance.now();
  const attempts = fleet.attempts ?? 1;
  const reports = await mapBounded(fleet.profiles, fleet.concurrency ?? DEFAULT_CONCURRENCY, async (profile) => {
    const options: DoctorOptions = { ...base, settings: { ...base.settings, profile } };
    const report = attempts > 1 ? await runRepeated(options, attempts) : await runDiagnosis(options);
    // A profile that cannot be resolved (e.g. not in the file) leaves no target: still say which profile it was.
    if (!report.target.profile)
      report.target.profile = { value: profile, source: `flag ${fleet.selectedBy ?? '--profiles'}` };
    return report;
  });
  // Profiles ran side by side: a report finished before another profile's secrets were known is scrubbed again.
  const secrets = base.secrets;
  return attachSecrets<FleetReport>(
    {
      schemaVersion: 1,
      fleet: true,
      tool: { name: 'temporal-doctor', version: TOOL_VERSION },
      startedAt: started.toISOString(),
      durationMs: Math.round(performance.now() - startedMs),
      status: worstStatus(reports),
      reports: reports.map((report) => attachSecrets(secrets.scrubDeep(report), secrets)),
    },
    secrets
  );
}

export function worstStatus(reports: Report[]): Report['status'] {
  return passUnlessProblem(worst(reports.map((r) => r.status)));
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the order of `items`. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
