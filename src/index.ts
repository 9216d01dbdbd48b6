// Programmatic API: `import { diagnose } from 'temporal-doctor'` returns the same report the JSON output serialises
// (the CLI is a thin layer over the same functions), and the renderers turn it into any of the CLI's formats.
import { withDefaults, MAX_REPEAT, MIN_REPEAT, type DoctorOptions, type SettingsInput } from './options.js';
import { runDiagnosis } from './diagnosis/diagnose.js';
import { runRepeated } from './diagnosis/repeat.js';
import { listProfiles, runFleet } from './diagnosis/fleet.js';
import type { FleetReport, Report } from './report/model.js';
import type { ProgressEvent } from './facts.js';
import { SETTINGS } from './config/settings.js';

export type DiagnoseOptions = Partial<Omit<DoctorOptions, 'settings'>> &
  SettingsInput & {
    onProgress?: (event: ProgressEvent) => void;
    /** Run the checks this many times and report intermittent failures (`--repeat`). @default 1 */
    repeat?: number;
  };

export interface DiagnoseFleetOptions extends Omit<DiagnoseOptions, 'profile' | 'onProgress'> {
  /** Profiles of temporal.toml to check. @default every profile in the file (`--all-profiles`) */
  profiles?: string[];
  /** Profiles checked at the same time. @default 8 */
  concurrency?: number;
}

/** Diagnoses one target. Never throws for a failing connection: the report says what failed. */
export async function diagnose(options: DiagnoseOptions = {}): Promise<Report> {
  const { onProgress, repeat = 1, ...rest } = options;
  const doctorOptions = toDoctorOptions(rest);
  const attempts = checkedRepeat(repeat);
  return attempts > 1 ? runRepeated(doctorOptions, attempts, onProgress) : runDiagnosis(doctorOptions, onProgress);
}

/** Diagnoses several temporal.toml profiles, as `--all-profiles` / `--profiles` do. */
export async function diagnoseFleet(options: DiagnoseFleetOptions = {}): Promise<FleetReport> {
  const { profiles, concurrency, repeat = 1, ...rest } = options;
  const doctorOptions = toDoctorOptions(rest);
  const names = profiles ?? listProfiles(doctorOptions.settings.configFile, doctorOptions.env);
  return runFleet(doctorOptions, {
    profiles: names,
    attempts: checkedRepeat(repeat),
    selectedBy: profiles ? '--profiles' : '--all-profiles',
    ...(concurrency !== undefined ? { concurrency } : {}),
  });
}

function toDoctorOptions(options: Record<string, unknown>): DoctorOptions {
  const settings: Record<string, unknown> = {};
  const runtime: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (SETTING_KEYS.has(key)) settings[key] = value;
    else runtime[key] = value;
  }
  return withDefaults({ ...(runtime as Partial<DoctorOptions>), settings: settings as SettingsInput });
}

function checkedRepeat(repeat: number): number {
  if (!Number.isInteger(repeat) || repeat < MIN_REPEAT || repeat > MAX_REPEAT) {
    throw new RangeError(`repeat must be a whole number from ${MIN_REPEAT} to ${MAX_REPEAT}, got ${repeat}`);
  }
  return repeat;
}

/** Connection settings come from the settings table; every other option is a run option. */
const SETTING_KEYS: ReadonlySet<string> = new Set(SETTINGS.map((spec) => spec.key));

export type {
  Report,
  RootCause,
  SafeSetting,
  SdkOutcome,
  StageReport,
  RepeatSummary,
  RepeatAttempt,
} from './report/model.js';
export type { CheckResult, Evidence, Status } from './pipeline/types.js';
export type { StageId } from './facts.js';
export type { DoctorOptions, SettingsInput } from './options.js';
export type { ProgressEvent } from './facts.js';
export type { FleetReport } from './report/model.js';
export { exitCodeFor } from './report/verdict.js';
export { redactHosts, HostRedactor } from './report/redact-hosts.js';
export {
  render,
  renderText,
  renderJson,
  renderFleetJson,
  renderMarkdown,
  renderFleetMarkdown,
  renderJunit,
  renderFleetJunit,
  renderGithubAnnotations,
  renderFleetGithubAnnotations,
  renderStepSummary,
  renderFleetStepSummary,
  scrubSecrets,
} from './render/index.js';
