// Renders docs/settings.md from the settings table (src/config/settings.ts SETTINGS). Pure: the caller passes the
// table and the facts resolve-config.ts holds outside it, so jest (from src) and `npm run docs` (from dist) agree.
import type { SettingSpec } from '../src/config/settings.js';

export interface SettingsDocInput {
  settings: readonly SettingSpec[];
  /** Names only the Temporal CLI reads (resolve-config.ts LEGACY_ENV_NAMES). */
  legacyEnv: ReadonlySet<string>;
  /** Prefix of the per-header gRPC metadata variables (near-miss.ts GRPC_META_ENV_PREFIX). */
  grpcMetaEnvPrefix: string;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => `\`${text}\``;
/** Plain text in a cell: `<name>` would read as an HTML tag. */
const plain = (text: string): string => text.replace(/</g, '&lt;').replace(/>/g, '&gt;');

function flagCell(spec: SettingSpec): string {
  const flag = code(`--${spec.flag}`);
  return spec.alias ? `${flag}, ${code(`-${spec.alias}`)}` : flag;
}

function envCell(spec: SettingSpec, input: SettingsDocInput): string {
  // The table keeps no env name for gRPC metadata: resolve-config reads every variable with the prefix.
  if (spec.key === 'grpcMeta') return `${code(`${input.grpcMetaEnvPrefix}<NAME>`)} (one per header)`;
  if (spec.env.length === 0) return '—';
  return spec.env
    .map((name, i) => {
      if (i === 0) return code(name);
      if (input.legacyEnv.has(name)) return `${code(name)} (legacy, Temporal CLI only)`;
      return `${code(name)} (SDK samples)`;
    })
    .join(', then ');
}

function profileCell(spec: SettingSpec): string {
  if (!spec.profileKey) return '—';
  // resolve-config reads tls.disabled and inverts it: disabled = true means --tls=false.
  if (spec.key === 'tls') return `${code(spec.profileKey)} (inverted)`;
  if (spec.key === 'grpcMeta') return `${code(`${spec.profileKey}.<name>`)} table`;
  return code(spec.profileKey);
}

export function renderSettingsDoc(input: SettingsDocInput): string {
  const lines = [
    '# Settings',
    '',
    '<!-- Generated from src/config/settings.ts by `npm run docs`. Do not edit by hand. -->',
    '',
    'Every connection setting the doctor reads, and where it reads it from. A flag wins over an environment variable,',
    'and an environment variable wins over the `temporal.toml` profile (the precedence of the Temporal CLI and of the',
    "SDK's envconfig). Where a setting has several environment names, the first one set (and not empty) wins, in the",
    'order listed; the config stage warns when two are set and disagree. A variable that is set but empty counts as',
    'unset, except that an empty first name also hides the profile key; the config stage warns about both. Profile',
    'keys sit under `[profile.<name>]` in `temporal.toml` (`tls.client_cert_path` is `client_cert_path` in',
    '`[profile.<name>.tls]`). Secret values never reach any output.',
    '',
    '| flag | environment variables | temporal.toml key | secret | description |',
    '|---|---|---|---|---|',
  ];
  for (const spec of input.settings) {
    const row = [
      flagCell(spec),
      envCell(spec, input),
      profileCell(spec),
      spec.secret ? 'yes' : 'no',
      plain(spec.describe),
    ];
    lines.push(`| ${row.map(cell).join(' | ')} |`);
  }
  lines.push('');
  return lines.join('\n');
}
