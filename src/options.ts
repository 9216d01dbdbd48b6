// Everything a diagnosis run takes, whether it comes from the CLI or from the library API.

/** Raw settings as the user gave them (flags or library options), keyed like the settings table. */
export interface SettingsInput {
  address?: string;
  namespace?: string;
  apiKey?: string;
  tls?: boolean;
  tlsCertPath?: string;
  tlsKeyPath?: string;
  tlsCaPath?: string;
  tlsCertData?: string;
  tlsKeyData?: string;
  tlsCaData?: string;
  tlsServerName?: string;
  tlsDisableHostVerification?: boolean;
  profile?: string;
  configFile?: string;
  taskQueue?: string;
  /** `KEY=VALUE` pairs, as `--grpc-meta` takes them. */
  grpcMeta?: string[];
  codecEndpoint?: string;
  codecAuth?: string;
}

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
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_EXPIRY_WARN_DAYS = 30;

export function withDefaults(partial: Partial<DoctorOptions> & { settings?: SettingsInput }): DoctorOptions {
  return {
    settings: partial.settings ?? {},
    env: partial.env ?? process.env,
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
  };
}
