// Resolves the connection settings with provenance: flags > environment > temporal.toml profile, the precedence of the
// Temporal CLI and of @temporalio/envconfig. The profile file is parsed by the SDK's own loader, never by hand.
import { isAbsolute, join } from 'node:path';
import { createRequire } from 'node:module';
import type { CheckResult } from '../pipeline/types.js';
import { evidence, fail, warn } from '../pipeline/check.js';
import { type SettingsInput, settingSpec, type SettingKey, type SettingSpec } from './settings.js';
import type { PemInput, ResolvedConfig, Setting, Source } from './resolved-config.js';
import { Secret } from '../text/secret.js';
import { sanitize } from '../text/sanitize.js';
import { describeSource } from './setting-names.js';
import { didYouMean, GRPC_META_ENV_PREFIX } from './near-miss.js';
import { readRegularFileSync } from '../text/read-file.js';

// The SDK's own TOML reader, loaded only when there is a file to read: runs without one (and --help) never pay for it.
type TomlLoader = (tomlData: string, isStrict: boolean) => unknown;
let tomlLoader: TomlLoader | undefined;
// A fleet run resolves every profile from the same file: each text is parsed once per mode, not once per profile (the
// parse was a fifth of a 50-profile run). Keyed by the text itself, so an edited file is parsed afresh. Read-only use.
const parsedTexts = new Map<string, { value: unknown } | { error: unknown }>();
const PARSED_TEXTS_KEPT = 4;
function loadFromTomlData(text: string, strict: boolean): unknown {
  tomlLoader ??= (
    createRequire(import.meta.url)('@temporalio/envconfig/lib/envconfig-toml.js') as { loadFromTomlData: TomlLoader }
  ).loadFromTomlData;
  const key = `${strict ? 'strict' : 'lenient'}:${text}`;
  let parsed = parsedTexts.get(key);
  if (!parsed) {
    try {
      parsed = { value: tomlLoader(text, strict) };
    } catch (error) {
      parsed = { error };
    }
    if (parsedTexts.size >= PARSED_TEXTS_KEPT) parsedTexts.delete(parsedTexts.keys().next().value as string);
    parsedTexts.set(key, parsed);
  }
  if ('error' in parsed) throw parsed.error;
  return parsed.value;
}

export type Env = Record<string, string | undefined>;

/** Profile names of the temporal.toml at `path`, in file order (a missing file has none), or why it cannot be read. */
export function readProfileNames(path: string): { names: string[] } | { problem: string } {
  const read = readRegularFileSync(path, { maxBytes: CONFIG_FILE_MAX_BYTES, what: 'a temporal.toml' });
  if ('problem' in read) return read.problem === 'missing' ? { names: [] } : { problem: read.text };
  try {
    const parsed = loadFromTomlData(read.bytes.toString('utf8'), false) as Record<string, unknown>;
    return { names: isTable(parsed.profile) ? Object.keys(parsed.profile) : [] };
  } catch (error) {
    return { problem: `is not valid TOML (${sanitize(error instanceof Error ? error.message : String(error), 200)})` };
  }
}

/** temporal.toml files are small; anything bigger is not one (and must not be read whole). */
export const CONFIG_FILE_MAX_BYTES = 1024 * 1024;

/** Names only the Temporal CLI still reads (cliext/client.go); the SDK's envconfig ignores them. */
export const LEGACY_ENV_NAMES: ReadonlySet<string> = new Set([
  'TEMPORAL_TLS_CERT',
  'TEMPORAL_TLS_KEY',
  'TEMPORAL_TLS_CA',
  'TEMPORAL_TLS_CERT_DATA',
  'TEMPORAL_TLS_KEY_DATA',
  'TEMPORAL_TLS_CA_DATA',
]);

/** Keys the SDK's strict mode allows per table (envconfig-toml.ts strictValidateTomlStructure), for did-you-mean. */
const PROFILE_KEYS = ['address', 'namespace', 'api_key', 'tls', 'codec', 'grpc_meta'];
const TLS_KEYS = [
  'disabled',
  'client_cert_path',
  'client_key_path',
  'client_cert_data',
  'client_key_data',
  'server_ca_cert_path',
  'server_ca_cert_data',
  'server_name',
  // Not in the SDK's strict allow-list, but the Temporal CLI reads it; reported by its own check.
  'disable_host_verification',
];
const CODEC_KEYS = ['endpoint', 'auth'];

export interface ConfigResolution {
  /** Absent when the settings cannot be known: unreadable or invalid temporal.toml, or a named profile that is absent. */
  config?: ResolvedConfig;
  /** What resolving found: file and profile problems, environment name problems. */
  checks: CheckResult[];
}

export interface ResolveInput {
  settings: SettingsInput;
  env: Env;
  platform?: NodeJS.Platform;
}

type RawTable = Record<string, unknown>;

interface LoadedProfile {
  name: string;
  source: Source;
  configFile?: string;
  configFileFound: boolean;
  table?: RawTable;
}

export function resolveConfig(input: ResolveInput): ConfigResolution {
  return new ConfigResolver(input).resolve();
}

class ConfigResolver {
  readonly checks: CheckResult[] = [];
  readonly #settings: SettingsInput;
  readonly #env: Env;
  readonly #platform: NodeJS.Platform;
  #profile?: LoadedProfile;

  constructor(input: ResolveInput) {
    this.#settings = input.settings;
    // --disable-config-env: the TEMPORAL_* variables are not read (HOME and the config-dir variables still locate files).
    this.#env = input.settings.disableConfigEnv
      ? Object.fromEntries(Object.entries(input.env).filter(([name]) => !name.startsWith('TEMPORAL_')))
      : input.env;
    this.#platform = input.platform ?? process.platform;
  }

  resolve(): ConfigResolution {
    const profile = this.#loadProfile();
    if (!profile) return { checks: this.checks };
    this.#profile = profile;

    const cert = this.#pemSetting('tlsCertPath', 'tlsCertData', 'Client certificate');
    const key = this.#pemSetting('tlsKeyPath', 'tlsKeyData', 'Client key');
    const ca = this.#pemSetting('tlsCaPath', 'tlsCaData', 'Server CA certificate');
    const apiKey = this.#string('apiKey');
    const clientAuthority = this.#string('clientAuthority');
    const serverName = this.#string('tlsServerName');
    const disableHostVerification = this.#boolean('tlsDisableHostVerification');

    const config: ResolvedConfig = {
      address: this.#string('address') ?? { value: 'localhost:7233', source: { kind: 'default', name: 'default' } },
      namespace: this.#string('namespace') ?? { value: 'default', source: { kind: 'default', name: 'default' } },
      tls: { value: false, source: { kind: 'default', name: 'default' } },
      grpcMeta: this.#grpcMeta(),
      profile: {
        name: profile.name,
        source: profile.source,
        configFileFound: profile.configFileFound,
        ...(profile.configFile !== undefined ? { configFile: profile.configFile } : {}),
      },
    };
    if (apiKey) config.apiKey = asSecret(apiKey);
    if (cert) config.clientCert = cert;
    if (key) config.clientKey = key;
    if (ca) config.serverCa = ca;
    if (serverName) config.serverName = serverName;
    if (disableHostVerification) config.disableHostVerification = disableHostVerification;
    const taskQueue = this.#string('taskQueue');
    if (taskQueue) config.taskQueue = taskQueue;
    const codecEndpoint = this.#string('codecEndpoint');
    if (codecEndpoint) config.codecEndpoint = codecEndpoint;
    const codecAuth = this.#string('codecAuth');
    if (codecAuth) config.codecAuth = asSecret(codecAuth);
    this.#cloudApi(config);
    if (clientAuthority) config.clientAuthority = clientAuthority;
    const codecHeaders = this.#keyValues('codecHeader', '--codec-header');
    if (Object.keys(codecHeaders).length > 0) config.codecHeaders = codecHeaders;
    const workerProxy = this.#string('workerProxy');
    if (workerProxy) config.workerProxy = asSecret(workerProxy);

    const tlsExplicit = this.#tlsExplicit();
    if (tlsExplicit) config.tlsExplicit = tlsExplicit;
    config.tls = tlsExplicit ?? this.#tlsImplied(config) ?? config.tls;
    // The Temporal CLI (grpc-go) verifies the server's certificate for the authority when no server name is given;
    // an authority does not turn TLS on by itself.
    if (config.tls.value && !config.serverName && clientAuthority)
      config.serverName = authorityServerName(clientAuthority);
    return { config, checks: this.checks };
  }

  /** The control-plane settings; the data-plane API key goes to the Cloud Ops API only with --cloud-api-key-from-api-key. */
  #cloudApi(config: ResolvedConfig): void {
    const key = this.#string('cloudApiKey');
    const fromApiKey = this.#boolean('cloudApiKeyFromApiKey');
    if (key) config.cloudApiKey = asSecret(key);
    else if (fromApiKey?.value && config.apiKey)
      config.cloudApiKey = {
        value: config.apiKey.value,
        source: { kind: 'derived', name: `${config.apiKey.source.name} (--cloud-api-key-from-api-key)` },
      };
    const address = this.#string('cloudApiAddress');
    if (address) config.cloudApiAddress = address;
    const ca = this.#string('cloudApiCaPath');
    if (ca) config.cloudApiCaPath = ca;
  }

  // ---- temporal.toml -------------------------------------------------------------------------------------------

  #loadProfile(): LoadedProfile | undefined {
    const file = this.#locateConfigFile();
    const profileName = this.#profileName();
    const base = { name: profileName.value, source: profileName.source, configFileFound: false };
    const located = file ? { ...base, configFile: file.path } : base;

    const text = file && this.#readConfigFile(file.path, file.source);
    if (text === null) return undefined;
    if (!file || text === undefined) {
      if (profileName.source.kind !== 'default') {
        this.#profileNotFound(profileName, file?.path, []);
        return undefined;
      }
      return located;
    }

    let parsed: RawTable;
    try {
      parsed = loadFromTomlData(text, false) as unknown as RawTable;
    } catch (error) {
      this.checks.push(tomlSyntaxCheck(error, file.path));
      return undefined;
    }
    this.#strictValidate(text, file.path);

    const profiles = isTable(parsed.profile) ? parsed.profile : {};
    const table = profiles[profileName.value];
    if (!isTable(table)) {
      if (profileName.source.kind !== 'default') {
        this.#profileNotFound(profileName, file.path, Object.keys(profiles));
        return undefined;
      }
      return { ...located, configFileFound: true };
    }
    return { ...located, configFileFound: true, table };
  }

  #locateConfigFile(): { path: string; source: Source } | undefined {
    if (this.#settings.disableConfigFile) return undefined;
    const flag = this.#settings.configFile;
    if (flag) return { path: flag, source: { kind: 'flag', name: '--config-file' } };
    const fromEnv = this.#env.TEMPORAL_CONFIG_FILE;
    if (fromEnv === '') this.#emptyEnv('TEMPORAL_CONFIG_FILE', 'the SDK then looks for no file at all');
    if (fromEnv) return { path: fromEnv, source: { kind: 'env', name: 'TEMPORAL_CONFIG_FILE' } };
    const dir = userConfigDir(this.#env, this.#platform);
    return dir
      ? { path: join(dir, 'temporalio', 'temporal.toml'), source: { kind: 'default', name: 'default' } }
      : undefined;
  }

  #profileName(): Setting<string> {
    if (this.#settings.profile) return { value: this.#settings.profile, source: { kind: 'flag', name: '--profile' } };
    const fromEnv = this.#env.TEMPORAL_PROFILE;
    if (fromEnv === '') this.#emptyEnv('TEMPORAL_PROFILE', 'the default profile is used');
    if (fromEnv) return { value: fromEnv, source: { kind: 'env', name: 'TEMPORAL_PROFILE' } };
    return { value: 'default', source: { kind: 'default', name: 'default' } };
  }

  /** The file's text; undefined when it does not exist; null when it exists but cannot be used (a check says why). */
  #readConfigFile(path: string, source: Source): string | undefined | null {
    const explicit = source.kind !== 'default';
    const setting = explicit ? source.name : 'the default location';
    const read = readRegularFileSync(path, { maxBytes: CONFIG_FILE_MAX_BYTES, what: 'a temporal.toml' });
    if ('bytes' in read) return read.bytes.toString('utf8');
    if (read.problem !== 'missing') {
      this.#unreadableConfig(path, setting, read.text);
      return null;
    }
    if (explicit) {
      this.checks.push(
        warn('config.file.not-found', `Config file ${path} named by ${source.name} does not exist`, {
          evidence: evidence({ 'config file': path, 'named by': source.name }),
          fix: `Point ${source.name} at your temporal.toml, or unset it; the SDK silently ignores a missing file, so its profile settings are not applied.`,
        })
      );
    }
    return undefined;
  }

  #unreadableConfig(path: string, setting: string, problem: string): void {
    this.checks.push(
      fail('config.file.unreadable', `Config file ${path} ${problem}`, {
        evidence: evidence({ 'config file': path, 'found through': setting }),
        fix: `Point ${setting === 'the default location' ? '--config-file or TEMPORAL_CONFIG_FILE' : setting} at a readable temporal.toml file; the SDK's loader throws on this file.`,
      })
    );
  }

  /** The SDK's strict mode names unknown keys (typos such as `addres`) that the default mode silently ignores. */
  #strictValidate(text: string, path: string): void {
    try {
      loadFromTomlData(text, true);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const match = /key\(s\) unrecognized(?: in ([\w.-]+))?: (.*)$/.exec(message);
      const table = match?.[1];
      const keys = (match?.[2] ?? '').split(', ').filter(Boolean);
      const allowed = !table
        ? ['profile']
        : table.endsWith('.tls')
          ? TLS_KEYS
          : table.endsWith('.codec')
            ? CODEC_KEYS
            : PROFILE_KEYS;
      // disable_host_verification has its own check (config.host-verification.unsupported).
      const unknown = keys.filter((k) => !(table?.endsWith('.tls') && k === 'disable_host_verification'));
      if (match && unknown.length === 0) return;
      const suggestions = unknown.map((k) => {
        const guess = didYouMean(k, allowed);
        return guess ? `${k} (did you mean ${guess}?)` : k;
      });
      const where = table ?? 'the top level';
      this.checks.push(
        warn(
          'config.file.unknown-key',
          match
            ? `Unknown key ${suggestions.join(', ')} in ${where} of ${path}`
            : `Config file ${path} does not pass the SDK's strict check`,
          {
            evidence: evidence({
              'config file': path,
              table: where,
              'allowed keys': allowed.join(', '),
              strict: sanitize(message),
            }),
            fix: `Fix the key name in ${path}; the SDK silently ignores keys it does not know, so this value is not applied.`,
          }
        )
      );
    }
  }

  #profileNotFound(profile: Setting<string>, path: string | undefined, existing: string[]): void {
    const where = path ?? 'temporal.toml (no config file location: HOME is not set)';
    this.checks.push(
      fail('config.profile.not-found', `Profile ${profile.value} named by ${profile.source.name} is not in ${where}`, {
        evidence: evidence({
          profile: profile.value,
          'named by': profile.source.name,
          'config file': path,
          'profiles in file': existing.length ? existing.join(', ') : '(none)',
        }),
        fix: existing.length
          ? `Set ${profile.source.name} to one of: ${existing.join(', ')}; or add [profile.${profile.value}] to ${where}.`
          : `Create [profile.${profile.value}] in ${where}, point TEMPORAL_CONFIG_FILE at the right file, or unset ${profile.source.name}.`,
      })
    );
  }

  #profileValue(path: string): unknown {
    let node: unknown = this.#profile?.table;
    for (const part of path.split('.')) node = isTable(node) ? node[part] : undefined;
    return node;
  }

  #profileSource(profileKey: string): Source {
    return { kind: 'profile', name: `profile.${this.#profile?.name ?? 'default'}.${profileKey}` };
  }

  // ---- one setting, three layers -------------------------------------------------------------------------------

  #string(key: SettingKey): Setting<string> | undefined {
    return this.#layered(key, 'string') as Setting<string> | undefined;
  }

  #boolean(key: SettingKey): Setting<boolean> | undefined {
    return this.#layered(key, 'boolean') as Setting<boolean> | undefined;
  }

  /** Flag, then the first non-empty environment name, then the profile. An empty SDK-read variable wipes the profile value, as in the SDK. */
  #layered(key: SettingKey, type: 'string' | 'boolean'): Setting<string | boolean> | undefined {
    const spec = settingSpec(key);
    const flag = this.#settings[key];
    const flagged = flag !== undefined && flag !== '' && typeof flag === type;
    // Environment problems are reported even under a flag: the SDK, which reads no flags, still sees them.
    const fromEnv = this.#fromEnv(spec, type, flagged);
    if (flagged) return { value: flag as string | boolean, source: { kind: 'flag', name: `--${spec.flag}` } };
    if (fromEnv.setting) return fromEnv.setting;
    if (fromEnv.wipedByEmpty || !spec.profileKey) return undefined;
    return this.#fromProfile(spec.profileKey, type);
  }

  #fromProfile(profileKey: string, type: 'string' | 'boolean'): Setting<string | boolean> | undefined {
    const value = this.#profileValue(profileKey);
    if (value === undefined) return undefined;
    const source = this.#profileSource(profileKey);
    if (typeof value !== type) {
      this.checks.push(
        warn('config.file.wrong-type', `${source.name} is a ${typeof value}, not a ${type}`, {
          evidence: evidence({ key: source.name, 'config file': this.#profile?.configFile }),
          fix: `Write ${source.name} as a ${type === 'string' ? 'quoted string' : 'true or false'}; the doctor ignored it.`,
        })
      );
      return undefined;
    }
    return { value: value as string | boolean, source };
  }

  #fromEnv(
    spec: SettingSpec,
    type: 'string' | 'boolean',
    flagged: boolean
  ): { setting?: Setting<string | boolean>; wipedByEmpty: boolean } {
    const set = spec.env.filter((name) => this.#env[name] !== undefined);
    const nonEmpty = set.filter((name) => this.#env[name] !== '');
    for (const name of set) if (this.#env[name] === '') this.#emptyEnv(name, emptyConsequence(spec, name));

    const winner = nonEmpty[0];
    if (winner === undefined)
      return { wipedByEmpty: spec.profileKey !== undefined && set[0] === spec.env[0] && set.length > 0 };
    this.#reportDisagreement(spec, winner, nonEmpty.slice(1));
    if (LEGACY_ENV_NAMES.has(winner) && !flagged) this.#reportLegacy(spec, winner);

    const raw = this.#env[winner] as string;
    if (type === 'string')
      return { setting: { value: raw, source: { kind: 'env', name: winner } }, wipedByEmpty: false };
    const parsed = parseCliBoolean(raw);
    if (parsed === undefined) {
      this.checks.push(
        warn(
          'config.env.bool-value',
          `${winner}=${sanitize(raw, 40)} is not a boolean the Temporal CLI reads, so it is ignored`,
          {
            evidence: evidence({ variable: winner, value: sanitize(raw, 40) }),
            fix: `Set ${winner} to true or false (or 1 / 0).`,
          }
        )
      );
      return { wipedByEmpty: false };
    }
    return { setting: { value: parsed, source: { kind: 'env', name: winner } }, wipedByEmpty: false };
  }

  #reportDisagreement(spec: SettingSpec, winner: string, others: string[]): void {
    const winnerValue = this.#env[winner] as string;
    for (const other of others) {
      const otherValue = this.#env[other] as string;
      if (otherValue === winnerValue) continue;
      const show = (name: string, value: string): string =>
        spec.secret || spec.key.endsWith('Data') ? new Secret(value).fingerprint() : sanitize(value, 200);
      const sdkReads = spec.env[0] === winner ? `; the SDK's envconfig and the Temporal CLI read ${winner}` : '';
      this.checks.push(
        warn('config.env.conflict', `${winner} and ${other} are both set and disagree; ${winner} wins${sdkReads}`, {
          evidence: evidence({
            [winner]: show(winner, winnerValue),
            [other]: show(other, otherValue),
            'used by the doctor': winner,
          }),
          fix: `Unset ${other} or give it the same value as ${winner}; code written after the samples may read ${other} while the SDK's envconfig reads ${spec.env[0]}.`,
        })
      );
    }
  }

  #reportLegacy(spec: SettingSpec, legacy: string): void {
    const preferred = spec.env[0] as string;
    this.checks.push(
      warn('config.env.legacy', `${legacy} is a legacy name that only the Temporal CLI reads; the SDK ignores it`, {
        evidence: evidence({ variable: legacy, 'preferred name': preferred }),
        fix: `Rename ${legacy} to ${preferred} so the SDK's envconfig reads it too.`,
      })
    );
  }

  #emptyEnv(name: string, consequence: string): void {
    this.checks.push(
      warn('config.env.empty', `${name} is set but empty`, {
        evidence: evidence({ variable: name, consequence }),
        fix: `Unset ${name} or give it a value: ${consequence}.`,
      })
    );
  }

  // ---- PEM slots -----------------------------------------------------------------------------------------------

  #pemSetting(pathKey: SettingKey, dataKey: SettingKey, label: string): Setting<PemInput> | undefined {
    const path = this.#string(pathKey);
    const data = this.#string(dataKey);
    const fromPath = path && { value: { kind: 'path', path: path.value } as PemInput, source: path.source };
    const fromData = data && { value: { kind: 'data', data: new Secret(data.value) } as PemInput, source: data.source };
    if (!fromPath || !fromData) return fromPath || fromData || undefined;
    // A flag overrides a lower layer, as the Temporal CLI does; anything else is the SDK's "Cannot specify both".
    const oneFlag = (path.source.kind === 'flag') !== (data.source.kind === 'flag');
    if (oneFlag) return path.source.kind === 'flag' ? fromPath : fromData;
    this.checks.push(
      fail(
        'config.tls.path-and-data',
        `${label} is given both as a path (${path.source.name}) and as data (${data.source.name})`,
        {
          evidence: evidence({
            path: `${path.value} (${describeSource(path.source)})`,
            data: describeSource(data.source),
          }),
          fix: `Remove ${path.source.name} or ${data.source.name}; the SDK refuses the pair with "Cannot specify both ${settingSpec(pathKey).profileKey?.replace('tls.', '') ?? 'path'} and ${settingSpec(dataKey).profileKey?.replace('tls.', '') ?? 'data'}".`,
        }
      )
    );
    return rank(data.source) > rank(path.source) ? fromData : fromPath;
  }

  // ---- TLS on or off -------------------------------------------------------------------------------------------

  #tlsExplicit(): Setting<boolean> | undefined {
    if (typeof this.#settings.tls === 'boolean')
      return { value: this.#settings.tls, source: { kind: 'flag', name: '--tls' } };
    const raw = this.#env.TEMPORAL_TLS;
    if (raw !== undefined) {
      if (raw === '')
        this.#emptyEnv('TEMPORAL_TLS', "the TypeScript SDK's envconfig reads an empty TEMPORAL_TLS as TLS disabled");
      const parsed = parseCliBoolean(raw);
      const sdkReads = raw === '1' || raw === 'true';
      if (raw !== '' && (parsed === undefined || parsed !== sdkReads)) {
        const cli =
          parsed === undefined
            ? 'the Temporal CLI ignores it'
            : `the Temporal CLI reads it as ${parsed ? 'on' : 'off'}`;
        this.checks.push(
          warn(
            'config.env.tls-value',
            `TEMPORAL_TLS=${sanitize(raw, 40)}: ${cli}, but the TypeScript SDK's envconfig reads it as TLS disabled`,
            {
              evidence: evidence({
                variable: 'TEMPORAL_TLS',
                value: sanitize(raw, 40),
                'Temporal CLI': parsed === undefined ? 'ignored' : String(parsed),
                'TypeScript envconfig': 'false',
              }),
              fix: 'Set TEMPORAL_TLS to exactly true or 1 (or false / 0): the TypeScript SDK accepts only the lower-case "true" and "1" as on.',
            }
          )
        );
      }
      if (parsed !== undefined) return { value: parsed, source: { kind: 'env', name: 'TEMPORAL_TLS' } };
    }
    const disabled = this.#profileValue('tls.disabled');
    if (typeof disabled === 'boolean') return { value: !disabled, source: this.#profileSource('tls.disabled') };
    return undefined;
  }

  /** As the SDK: TLS material, a server name or a tls table turn TLS on; so does any API key, even an empty one. */
  #tlsImplied(config: ResolvedConfig): Setting<boolean> | undefined {
    const material = [
      config.clientCert,
      config.clientKey,
      config.serverCa,
      config.serverName,
      config.disableHostVerification,
    ];
    const first = material.find((s) => s !== undefined && s.value !== false);
    if (first) return { value: true, source: { kind: 'derived', name: `implied by ${first.source.name}` } };
    if (isTable(this.#profileValue('tls'))) {
      return {
        value: true,
        source: { kind: 'derived', name: `implied by the [profile.${this.#profile?.name}.tls] table` },
      };
    }
    if (config.apiKey)
      return { value: true, source: { kind: 'derived', name: `implied by ${config.apiKey.source.name}` } };
    if (this.#env.TEMPORAL_API_KEY === '' && this.#settings.apiKey === undefined) {
      return { value: true, source: { kind: 'derived', name: 'implied by TEMPORAL_API_KEY (set but empty)' } };
    }
    return undefined;
  }

  // ---- gRPC metadata -------------------------------------------------------------------------------------------

  /** KEY=VALUE flags (values may be credentials): a malformed one gets a warning that shows its length only. */
  #keyValues(key: 'codecHeader', flag: string): Record<string, Setting<Secret>> {
    const pairs: Record<string, Setting<Secret>> = {};
    for (const pair of this.#settings[key] ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0) {
        this.checks.push(
          warn('config.codec-header.malformed', `${flag} value is not KEY=VALUE`, {
            evidence: evidence({ 'given (length)': pair.length }),
            fix: `Pass each header as ${flag} key=value.`,
          })
        );
        continue;
      }
      pairs[pair.slice(0, eq).trim().toLowerCase()] = {
        value: new Secret(pair.slice(eq + 1)),
        source: { kind: 'flag', name: flag },
      };
    }
    return pairs;
  }

  /** Per header: flag > env > profile. An empty TEMPORAL_GRPC_META_<NAME> deletes the header, as in the SDK. */
  #grpcMeta(): Record<string, Setting<Secret>> {
    const meta: Record<string, Setting<Secret>> = {};
    const fromProfile = this.#profileValue('grpc_meta');
    if (isTable(fromProfile)) {
      for (const [rawKey, value] of Object.entries(fromProfile)) {
        if (typeof value !== 'string') continue;
        // The SDK replaces only the first underscore (String.replace), so we do too.
        meta[rawKey.toLowerCase().replace('_', '-')] = {
          value: new Secret(value),
          source: this.#profileSource(`grpc_meta.${rawKey}`),
        };
      }
    }
    for (const [name, value] of Object.entries(this.#env)) {
      if (!name.startsWith(GRPC_META_ENV_PREFIX) || value === undefined) continue;
      const key = name.slice(GRPC_META_ENV_PREFIX.length).toLowerCase().replace(/_/g, '-');
      if (value === '') delete meta[key];
      else meta[key] = { value: new Secret(value), source: { kind: 'env', name } };
    }
    for (const pair of this.#settings.grpcMeta ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0) {
        this.checks.push(
          warn('config.grpc-meta.malformed', `--grpc-meta value is not KEY=VALUE`, {
            // The value may be a credential: show its length only.
            evidence: evidence({ 'given (length)': pair.length }),
            fix: 'Pass gRPC metadata as --grpc-meta key=value.',
          })
        );
        continue;
      }
      meta[pair.slice(0, eq).trim().toLowerCase()] = {
        value: new Secret(pair.slice(eq + 1)),
        source: { kind: 'flag', name: '--grpc-meta' },
      };
    }
    return meta;
  }
}

// ---- helpers -----------------------------------------------------------------------------------------------------

function isTable(value: unknown): value is RawTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function asSecret(setting: Setting<string>): Setting<Secret> {
  return { value: new Secret(setting.value), source: setting.source };
}

function rank(source: Source): number {
  return { flag: 3, env: 2, profile: 1, default: 0, derived: 0 }[source.kind];
}

/** How the Temporal CLI (Go) reads booleans: 1/0/true/false, any case; anything else is no value. */
export function parseCliBoolean(raw: string): boolean | undefined {
  const value = raw.trim().toLowerCase();
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  return undefined;
}

function emptyConsequence(spec: SettingSpec, name: string): string {
  const sdkRead = spec.profileKey !== undefined && spec.env[0] === name;
  if (spec.key === 'apiKey') {
    return "the TypeScript SDK still turns TLS on for an empty TEMPORAL_API_KEY (and sends no authorization header), and it replaces the profile's api_key";
  }
  if (!sdkRead) return 'the doctor ignored it';
  const implied = spec.key.startsWith('tls')
    ? ', and any TEMPORAL_TLS_* variable turns TLS on in the TypeScript SDK'
    : '';
  return `the SDK's envconfig takes the empty value over the profile's ${spec.profileKey}${implied}`;
}

/** Linux `$XDG_CONFIG_HOME` (absolute only) or `$HOME/.config`; macOS and Windows as envconfig-toml.ts. */
export function userConfigDir(env: Env, platform: NodeJS.Platform): string | undefined {
  if (platform === 'win32') return env.APPDATA || undefined;
  if (platform === 'darwin') return env.HOME ? join(env.HOME, 'Library', 'Application Support') : undefined;
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg) return isAbsolute(xdg) ? xdg : undefined;
  return env.HOME ? join(env.HOME, '.config') : undefined;
}

function tomlSyntaxCheck(error: unknown, path: string): CheckResult {
  // Only the first line and the position: the loader's code frame quotes the file, which may hold an api_key.
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0] ?? message;
  const { line, column } = error as { line?: number; column?: number };
  return fail('config.file.syntax', `Config file ${path} is not valid TOML: ${firstLine}`, {
    evidence: evidence({ 'config file': path, line, column }),
    fix: `Fix the TOML syntax in ${path}${line ? ` at line ${line}` : ''}; the SDK's loader throws on this file, so no profile can be read.`,
    cause: { name: 'TomlError', message: firstLine },
  });
}

/** The host of an authority (`host:port`, `[v6]:port` or `host`), which is what grpc-go verifies the certificate for. */
function authorityServerName(authority: Setting<string>): Setting<string> {
  const value = authority.value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  const host = bracketed ? (bracketed[1] as string) : value.replace(/:\d+$/, '');
  return { value: host, source: authority.source };
}
