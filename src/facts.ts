// What flows down the pipeline: the one run order of the stages, and the facts each stage hands to the stages after
// it. Stage ids and check ids are public: never rename.
import type { X509Certificate } from 'node:crypto';
import type { ResolvedConfig } from './config/resolved-config.js';
import type { DoctorOptions } from './options.js';
import type { Secret } from './text/secret.js';
import type { ResolvedAddress } from './net/resolve.js';
import type { TcpAttempt } from './net/tcp-connect.js';
import type { PeerGuess } from './net/peer-bytes.js';
import type { CloudIdentity, EndpointKind } from './knowledge/temporal-endpoints.js';
import type { CertificateSummary } from './knowledge/x509.js';
import type { ProxyEndpoint, ProxyPath, ProxyStack } from './knowledge/proxy-rules.js';
import type {
  Stage,
  StageContext,
  StageReport as GenericStageReport,
  ProgressEvent as GenericProgressEvent,
} from './pipeline/types.js';

/** Run order is the diagnosis: the root cause is the first failing check in this order. */
export const STAGE_IDS = [
  'config',
  'pem',
  'endpoint',
  // Right after endpoint: what the Cloud control plane says about the namespace (accepted CAs, filters, auth methods,
  // endpoints) explains the dns/tls/grpc failures after it, so its proof comes first in the verdict.
  'cloud',
  'dns',
  'tcp',
  'proxy',
  'tls',
  'grpc',
  'namespace',
  'codec',
] as const;
export type StageId = (typeof STAGE_IDS)[number];

/** What each stage hands to the stages that need it; absent when the stage could not produce it. */
export interface Facts {
  config: ResolvedConfig;
  pem: PemFacts;
  endpoint: EndpointFacts;
  cloud: CloudFacts;
  dns: DnsFacts;
  tcp: TcpFacts;
  proxy: ProxyFacts;
  tls: TlsFacts;
  grpc: GrpcFacts;
  namespace: NamespaceFacts;
  codec: Record<string, never>;
}

/** A stage of this tool: the generic pipeline's Stage over these facts and options. */
export type DoctorStage<Id extends StageId, Needs extends StageId = StageId> = Stage<Facts, DoctorOptions, Id, Needs>;
export type DoctorStageContext<Needs extends StageId = never> = StageContext<Facts, DoctorOptions, Needs>;
export type StageReport = GenericStageReport<StageId>;
export type ProgressEvent = GenericProgressEvent<StageId>;

/** Types a stage's needs and facts (an identity function: the compiler checks `run` against `needs`). */
export function defineStage<Id extends StageId, Needs extends StageId>(
  stage: DoctorStage<Id, Needs>
): DoctorStage<Id, Needs> {
  return stage;
}

/** Live resources one stage keeps for a later one (RunScope keys). */
export const KEPT = {
  /** The tcp stage's connection to the fastest address; the tls stage's first handshake takes it. */
  tcpConnection: 'tcp-connection',
  /** The grpc stage's SDK connection; the namespace stage reuses it. */
  sdkConnection: 'sdk-connection',
  /** The proxy stage's open CONNECT tunnel to the server; the tls stage's first handshake takes it. */
  proxyTunnel: 'proxy-tunnel',
} as const;

export type { ResolvedAddress, EndpointKind };

export interface PemFacts {
  /** Usable client certificate chain PEM (leaf first), when one is configured. */
  clientCertPem?: string;
  /** Usable client private key PEM. */
  clientKeyPem?: Secret;
  /** Usable server CA bundle PEM, when one is configured. */
  serverCaPem?: string;
  clientCert?: X509Certificate;
  /** The whole client chain as given (leaf first), when a client certificate is configured. */
  clientChain?: X509Certificate[];
  serverCaCerts: X509Certificate[];
}

export interface EndpointFacts {
  host: string;
  port: number;
  portDefaulted: boolean;
  /** 4 or 6 when the host is an IP literal (IPv6 without brackets). */
  ipLiteral?: 4 | 6;
  kind: EndpointKind;
  /** The name the SDK will send as SNI and verify the server certificate against. */
  serverName: string;
  cloud?: CloudIdentity;
}

/** What the Cloud Ops API said about the namespace (GetNamespace), as far as the later stages may care. */
export interface CloudFacts {
  namespace: string;
  /** ResourceState without its prefix, lowercased: `active`, `deleting`, ... */
  state: string;
  apiKeyAuth: boolean;
  mtlsAuth: boolean;
  grpcAddress?: string;
  mtlsGrpcAddress?: string;
  activeRegion?: string;
}

export interface DnsFacts {
  /** In the order the SDK would try them. */
  addresses: ResolvedAddress[];
  cnameChain: string[];
  /** Who answered: the OS resolver (what the SDK uses) or the --dns-server servers. */
  via: 'system' | 'servers' | 'ip-literal';
  /** The --dns-server servers, when used: connections by name must go through `createLookup(servers)`. */
  servers?: string[];
}

export interface TcpFacts {
  /** Addresses that accepted a connection, fastest first. */
  reachable: Array<{ address: string; family: 4 | 6; connectMs: number }>;
  port: number;
  /** Every attempt, in the order DNS returned the addresses. */
  attempts: TcpAttempt[];
}

export type TlsFacts =
  | {
      mode: 'plaintext';
      /** A probe found a TLS server although TLS is off. */ serverSpeaksTls?: boolean;
      /** What answered the probe's ClientHello: HTTP/2 frames (a plaintext HTTP/2 server, as gRPC is), HTTP/1.x, nothing, ... */
      peer?: PeerGuess | 'silent' | 'closed';
    }
  | {
      mode: 'tls';
      protocol: string;
      cipher: string;
      alpn: string | false;
      authorized: boolean;
      peerChain: CertificateSummary[];
      /**
       * The chain as the server sent it on the inspect handshake (no client certificate, ALPN h2, the SNI the SDK
       * sends): the handshake Core makes, so the Worker view judges these instead of shaking hands again.
       */
      sentChain?: X509Certificate[];
      /** True when the server answered the HTTP/2 preface sent after a handshake with HTTP/2 frames. */
      answeredHttp2?: boolean;
      /** True when the server demanded a client certificate (it sent certificate_required without one). */
      clientCertRequested: boolean;
      /** The address the handshake went to, and the SNI sent (absent for IP literals). */
      address?: string;
      serverName?: string;
      /**
       * Something in front of the server answered the handshake that the SDK makes (same client certificate) with an
       * HTTP status that is not gRPC: an ingress with no healthy upstream, an access rule, a web route.
       */
      edgeAnswer?: EdgeAnswer;
      /** The mTLS connection was closed right after the handshake without an alert (no HTTP/2 answer at all). */
      closedAfterClientCert?: { ms: number; reset: boolean };
    };

/** The network path of each stack, and which one the stages after `proxy` follow. */
export interface ProxyFacts {
  paths: Record<ProxyStack, ProxyPath>;
  /** The stack whose path tls, grpc and namespace follow: the Client's, or the Worker's with --stack worker. */
  followed: ProxyStack;
  /**
   * How they reach the server: `tunnel` through `proxy` (its CONNECT answered 200), `direct`, or `none` when the
   * followed path's proxy refused the tunnel (nothing after it can run).
   */
  route: 'tunnel' | 'direct' | 'none';
  proxy?: ProxyEndpoint;
  /** What follows CONNECT on the followed path. */
  authority?: string;
  /** The CONNECT exchange's time, as the round trip of the tunnel. */
  connectMs?: number;
}

/** An ingress's HTTP answer to a gRPC request, classified (knowledge/edge-rejection.ts), with its own words. */
export interface EdgeAnswer {
  kind: 'forbidden' | 'no-backend' | 'not-grpc';
  status: number;
  /** Sanitised text of its page (title or first words). */
  excerpt: string;
  /** Its `server` header, sanitised (nginx/1.22.1). */
  server?: string;
}

export interface GrpcFacts {
  serverVersion?: string;
  capabilities: string[];
  health?: string;
  /** What the SDK dialled: the configured address, or with --dns-server the IP the tcp stage reached. */
  dialled: string;
  connectMs: number;
}

export interface NamespaceFacts {
  name: string;
  state: string;
  retentionDays?: number;
  region?: string;
}
