// The connection settings the doctor diagnoses, each with where it came from.
import type { Secret } from '../text/secret.js';

export type SourceKind = 'flag' | 'env' | 'profile' | 'default' | 'derived';

/** Where a value came from, e.g. { kind: 'env', name: 'TEMPORAL_ADDRESS' } or { kind: 'flag', name: '--address' }. */
export interface Source {
  kind: SourceKind;
  name: string;
}

export interface Setting<T> {
  value: T;
  source: Source;
}

/** PEM material given either as a file path or inline. Inline key data is always a Secret. */
export type PemInput = { kind: 'path'; path: string } | { kind: 'data'; data: Secret };

export interface ResolvedConfig {
  /** As given (not yet parsed); the endpoint stage parses it. @default localhost:7233 */
  address: Setting<string>;
  /** @default default */
  namespace: Setting<string>;
  apiKey?: Setting<Secret>;
  /** Effective TLS on/off, with the reason as its source (explicit, implied by certs or API key, or default off). */
  tls: Setting<boolean>;
  /** What the user said about TLS explicitly, if anything (`--tls`, TEMPORAL_TLS, profile tls.disabled). */
  tlsExplicit?: Setting<boolean>;
  clientCert?: Setting<PemInput>;
  clientKey?: Setting<PemInput>;
  serverCa?: Setting<PemInput>;
  serverName?: Setting<string>;
  disableHostVerification?: Setting<boolean>;
  taskQueue?: Setting<string>;
  /** gRPC metadata to send; values may be credentials, so they are Secrets. Keys lowercased. */
  grpcMeta: Record<string, Setting<Secret>>;
  codecEndpoint?: Setting<string>;
  codecAuth?: Setting<Secret>;
  /** Temporal Cloud Ops API (control plane) key: its own setting, or the data-plane key only when the user said so. */
  cloudApiKey?: Setting<Secret>;
  cloudApiAddress?: Setting<string>;
  cloudApiCaPath?: Setting<string>;
  /** --codec-header KEY=VALUE: extra headers for codec server requests; values may be credentials. Keys lowercased. */
  codecHeaders?: Record<string, Setting<Secret>>;
  /** --client-authority: the :authority of gRPC requests (the Client SDK's grpc.default_authority channel argument). */
  clientAuthority?: Setting<string>;
  /** NativeConnectionOptions.proxy as the user's Worker sets it (the URL may hold a password). */
  workerProxy?: Setting<Secret>;
  profile: {
    name: string;
    source: Source;
    /** The temporal.toml that was looked at, and whether it existed. */
    configFile?: string;
    configFileFound: boolean;
  };
}
