// Everything a diagnosis run takes, whether it comes from the CLI or from the library API.
import type { SettingsInput } from './config/settings.js';
import type { SecretRegistry } from './text/secret-registry.js';
import { secretsFromInput } from './config/run-secrets.js';

export type { SettingsInput };

export type SdkStack = 'client' | 'worker' | 'both';

export interface DoctorOptions {
  settings: SettingsInput;
  /** The environment to read TEMPORAL_* and friends from. @default process.env */
  env: Record<string, string | undefined>;
  /** Where the user's project lives (for finding their SDK). @default process.cwd() */
  cwd: string;
  /** Budget for each network stage. @default 5000 */
  timeoutMs: number;
  /** Certificates expiring within this many days warn. @default 30 */
  expiryWarnDays: number;
  now: () => Date;
  /** DNS servers to ask instead of the system resolver (`host:port`); also how tests make Cloud names resolve to loopback. */
  dnsServers?: string[];
  /** Which SDK stack(s) to judge. @default both */
  stack: SdkStack;
  /** The error text the user saw (`--error`), to say whether the diagnosis explains it. */
  errorText?: string;
  /** Origin the Web UI calls the codec server from. */
  uiOrigin?: string;
  /** Stage or check ids to run exclusively / to leave out. */
  only?: string[];
  skip?: string[];
  /** Whether to run the SDK's own connect to show "what your SDK says" when a stage fails. @default true */
  sdkProbe: boolean;
  /**
   * The run's secrets: every output is scrubbed with them. Seeded from settings and environment; the config and pem
   * stages add what they read (profile, key files). A fleet shares one. @default built from settings and env
   */
  secrets: SecretRegistry;
  /**
   * The user's project (`--project`): the folder whose own node_modules may hold @temporalio/worker for the Worker
   * probe. @default the nearest folder at or above cwd whose package.json declares @temporalio/worker
   */
  project?: string;
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_EXPIRY_WARN_DAYS = 30;
/** --timeout bounds: below this no handshake completes; above it Node's timers overflow (2^31 ms) long before. */
export const MIN_TIMEOUT_MS = 100;
export const MAX_TIMEOUT_MS = 10 * 60_000;
/** --expiry-warn-days: ten years covers any certificate lifetime worth warning about. */
export const MAX_EXPIRY_WARN_DAYS = 3650;

export function withDefaults(partial: Partial<DoctorOptions> & { settings?: SettingsInput }): DoctorOptions {
  const settings = partial.settings ?? {};
  const env = partial.env ?? process.env;
  return {
    settings,
    env,
    secrets: partial.secrets ?? secretsFromInput(settings, env),
    cwd: partial.cwd ?? process.cwd(),
    timeoutMs: partial.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    expiryWarnDays: partial.expiryWarnDays ?? DEFAULT_EXPIRY_WARN_DAYS,
    now: partial.now ?? (() => new Date()),
    stack: partial.stack ?? 'both',
    sdkProbe: partial.sdkProbe ?? true,
    ...(partial.dnsServers ? { dnsServers: partial.dnsServers } : {}),
    ...(partial.errorText !== undefined ? { errorText: partial.errorText } : {}),
    ...(partial.uiOrigin !== undefined ? { uiOrigin: partial.uiOrigin } : {}),
    ...(partial.only ? { only: partial.only } : {}),
    ...(partial.skip ? { skip: partial.skip } : {}),
    ...(partial.project !== undefined ? { project: partial.project } : {}),
  };
}

// Bounds of --repeat and --concurrency.
export const MIN_REPEAT = 1;
export const MAX_REPEAT = 100;
// Remote targets spend most of a run waiting on round trips; on loopback 8 also fills the idle gaps of 4 (measured).
export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 32;
