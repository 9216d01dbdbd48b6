// THE settings table: one row per connection setting, naming its flag, environment variables and profile key together.
// The CLI options, the library's setting options, the config stage's provenance, near-miss suggestions and
// docs/settings.md all come from here.

interface SettingRowShape {
  key: string;
  /** Flag as the Temporal CLI names it. */
  flag: string;
  alias?: string;
  type: 'string' | 'boolean' | 'array';
  /**
   * Environment variables in precedence order: the Temporal CLI / envconfig name first, then the SDK samples' name,
   * then legacy names. When two are set and disagree, the config stage warns.
   */
  env: string[];
  /** Key inside `[profile.<name>]` of temporal.toml, for provenance. */
  profileKey?: string;
  secret?: boolean;
  describe: string;
}

const SETTING_ROWS = [
  {
    key: 'address',
    flag: 'address',
    type: 'string',
    env: ['TEMPORAL_ADDRESS'],
    profileKey: 'address',
    describe: 'Temporal Service gRPC endpoint, host:port (default localhost:7233).',
  },
  {
    key: 'namespace',
    flag: 'namespace',
    alias: 'n',
    type: 'string',
    env: ['TEMPORAL_NAMESPACE'],
    profileKey: 'namespace',
    describe: 'Namespace to check (default "default"); on Temporal Cloud the namespace id <name>.<account>.',
  },
  {
    key: 'apiKey',
    flag: 'api-key',
    type: 'string',
    env: ['TEMPORAL_API_KEY'],
    profileKey: 'api_key',
    secret: true,
    describe:
      'API key sent as "authorization: Bearer"; turns TLS on unless --tls=false. Prefer TEMPORAL_API_KEY: other users can read flags.',
  },
  {
    key: 'tls',
    flag: 'tls',
    type: 'boolean',
    env: ['TEMPORAL_TLS'],
    profileKey: 'tls.disabled',
    describe: 'Enable or disable TLS (implied by an API key or any TLS material).',
  },
  {
    key: 'tlsCertPath',
    flag: 'tls-cert-path',
    type: 'string',
    env: ['TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CERT'],
    profileKey: 'tls.client_cert_path',
    describe: 'Path to the client certificate (PEM) for mTLS.',
  },
  {
    key: 'tlsKeyPath',
    flag: 'tls-key-path',
    type: 'string',
    env: ['TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_CLIENT_KEY_PATH', 'TEMPORAL_TLS_KEY'],
    profileKey: 'tls.client_key_path',
    describe: 'Path to the client private key (PEM) for mTLS.',
  },
  {
    key: 'tlsCaPath',
    flag: 'tls-ca-path',
    type: 'string',
    env: ['TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'TEMPORAL_SERVER_ROOT_CA_CERT_PATH', 'TEMPORAL_TLS_CA'],
    profileKey: 'tls.server_ca_cert_path',
    describe: "Path to the CA that signed the server's certificate (PEM); replaces the default roots.",
  },
  {
    key: 'tlsCertData',
    flag: 'tls-cert-data',
    type: 'string',
    env: ['TEMPORAL_TLS_CLIENT_CERT_DATA', 'TEMPORAL_TLS_CERT_DATA'],
    profileKey: 'tls.client_cert_data',
    describe: 'Client certificate PEM given inline.',
  },
  {
    key: 'tlsKeyData',
    flag: 'tls-key-data',
    type: 'string',
    env: ['TEMPORAL_TLS_CLIENT_KEY_DATA', 'TEMPORAL_TLS_KEY_DATA'],
    profileKey: 'tls.client_key_data',
    secret: true,
    describe:
      'Client private key PEM given inline. Prefer --tls-key-path or TEMPORAL_TLS_CLIENT_KEY_DATA: other users can read flags.',
  },
  {
    key: 'tlsCaData',
    flag: 'tls-ca-data',
    type: 'string',
    env: ['TEMPORAL_TLS_SERVER_CA_CERT_DATA', 'TEMPORAL_TLS_CA_DATA'],
    profileKey: 'tls.server_ca_cert_data',
    describe: 'Server CA PEM given inline.',
  },
  {
    key: 'tlsServerName',
    flag: 'tls-server-name',
    type: 'string',
    env: ['TEMPORAL_TLS_SERVER_NAME', 'TEMPORAL_SERVER_NAME_OVERRIDE'],
    profileKey: 'tls.server_name',
    describe: 'Server name to send as SNI and to verify the server certificate against.',
  },
  {
    key: 'tlsDisableHostVerification',
    flag: 'tls-disable-host-verification',
    type: 'boolean',
    env: ['TEMPORAL_TLS_DISABLE_HOST_VERIFICATION'],
    profileKey: 'tls.disable_host_verification',
    describe: 'Do not verify the server name (the TypeScript SDK cannot do this; reported, not applied).',
  },
  {
    key: 'profile',
    flag: 'profile',
    type: 'string',
    env: ['TEMPORAL_PROFILE'],
    describe: 'Profile to load from temporal.toml (default "default").',
  },
  {
    key: 'configFile',
    flag: 'config-file',
    type: 'string',
    env: ['TEMPORAL_CONFIG_FILE'],
    // The same file on every platform's help (the help is rendered once, at build time), so it names each one's path.
    describe:
      'Path to temporal.toml (default temporalio/temporal.toml in the user config dir: ~/.config or $XDG_CONFIG_HOME on Linux, ~/Library/Application Support on macOS, %APPDATA% on Windows).',
  },
  {
    key: 'taskQueue',
    flag: 'task-queue',
    type: 'string',
    env: ['TEMPORAL_TASK_QUEUE'],
    describe: 'Task queue to check for polling workers.',
  },
  {
    key: 'grpcMeta',
    flag: 'grpc-meta',
    type: 'array',
    env: [],
    profileKey: 'grpc_meta',
    secret: true,
    describe:
      'gRPC metadata to send, KEY=VALUE (repeatable); TEMPORAL_GRPC_META_<NAME> is read too (prefer it for secret values).',
  },
  {
    key: 'codecEndpoint',
    flag: 'codec-endpoint',
    type: 'string',
    env: ['TEMPORAL_CODEC_ENDPOINT'],
    profileKey: 'codec.endpoint',
    describe: 'Payload codec server URL that the Web UI and CLI decode through.',
  },
  {
    key: 'codecAuth',
    flag: 'codec-auth',
    type: 'string',
    env: ['TEMPORAL_CODEC_AUTH'],
    profileKey: 'codec.auth',
    secret: true,
    describe:
      'Authorization header value for the codec server. Prefer TEMPORAL_CODEC_AUTH: other users can read flags.',
  },
  {
    key: 'cloudApiKey',
    flag: 'cloud-api-key',
    type: 'string',
    env: ['TEMPORAL_CLOUD_API_KEY'],
    secret: true,
    describe:
      'Temporal Cloud API key for the Cloud Ops API (control plane, as tcld reads it): the cloud stage reads the namespace settings with it.',
  },
  {
    key: 'cloudApiKeyFromApiKey',
    flag: 'cloud-api-key-from-api-key',
    type: 'boolean',
    env: [],
    describe: 'Also send the --api-key to the Cloud Ops API, which is another endpoint (off unless you say so).',
  },
  {
    key: 'cloudApiAddress',
    flag: 'cloud-api-address',
    type: 'string',
    env: [],
    describe: 'Cloud Ops API endpoint, host:port (default saas-api.tmprl.cloud:443).',
  },
  {
    key: 'cloudApiCaPath',
    flag: 'cloud-api-ca-path',
    type: 'string',
    env: [],
    describe: "CA (PEM) to trust for the Cloud Ops API instead of the default roots (a TLS-inspecting proxy's CA).",
  },
  // The Temporal CLI's flags below have no environment variable or profile key (cliext/flags.gen.go in temporalio/cli).
  {
    key: 'codecHeader',
    flag: 'codec-header',
    type: 'array',
    env: [],
    secret: true,
    describe: 'HTTP header for codec server requests, KEY=VALUE (repeatable), as the Temporal CLI sends it.',
  },
  {
    key: 'clientAuthority',
    flag: 'client-authority',
    type: 'string',
    env: [],
    describe:
      'The :authority of gRPC requests, as the Temporal CLI sets it; also the TLS server name unless --tls-server-name is set.',
  },
  {
    key: 'disableConfigFile',
    flag: 'disable-config-file',
    type: 'boolean',
    env: [],
    describe: 'Read no temporal.toml, as the Temporal CLI flag does.',
  },
  {
    key: 'disableConfigEnv',
    flag: 'disable-config-env',
    type: 'boolean',
    env: [],
    describe: 'Read no TEMPORAL_* environment variables for the connection, as the Temporal CLI flag does.',
  },
  {
    key: 'workerProxy',
    flag: 'worker-proxy',
    type: 'string',
    env: [],
    secret: true,
    describe:
      'HTTP CONNECT proxy your Worker sets in code (NativeConnectionOptions.proxy), http://[user:password@]host:port; the Worker reads no proxy variable.',
  },
] as const satisfies readonly SettingRowShape[];

type SettingRow = (typeof SETTING_ROWS)[number];
export type SettingKey = SettingRow['key'];

type ValueOf<T extends SettingRowShape['type']> = T extends 'boolean' ? boolean : T extends 'array' ? string[] : string;

/** Raw settings as the user gave them (flags or library options), keyed like the settings table. */
export type SettingsInput = { [Row in SettingRow as Row['key']]?: ValueOf<Row['type']> };

export interface SettingSpec extends Omit<SettingRowShape, 'key' | 'env'> {
  key: SettingKey;
  env: readonly string[];
}

export const SETTINGS: readonly SettingSpec[] = SETTING_ROWS;

export function settingSpec(key: SettingKey): SettingSpec {
  const spec: SettingSpec | undefined = SETTINGS.find((s) => s.key === key);
  if (!spec) throw new Error(`unknown setting ${key}`);
  return spec;
}
