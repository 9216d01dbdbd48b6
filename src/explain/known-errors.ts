// The error catalog behind `temporal-doctor explain`: texts the SDK stacks, the Go SDK/CLI, OpenSSL and the server print,
// each mapped to the doctor stage that confirms it. Pure data; the classifier lives in explain-error.ts.
// Sources: docs/research/common-failures.md and docs/research/sdk-stacks.md.
// Patterns run over whitespace-collapsed text (newlines become single spaces), so `.` never has to cross a line break.
// Gaps between literals are bounded (`.{0,N}?`) so a huge paste cannot make a pattern quadratic.
import type { StageId as DoctorStageId } from '../facts.js';

/** The stages a connection error can point to (every stage but `codec`, which no connection error concerns). */
export type StageId = Exclude<DoctorStageId, 'codec'>;

/**
 * Which stack prints the text. `sdk` is the TypeScript SDK's own option validation, shared by both the Client and
 * the Worker; `envconfig` is `@temporalio/envconfig`; `runtime` is the platform (loading the native bridge).
 */
export type ErrorSource = 'client' | 'worker' | 'sdk' | 'go' | 'openssl' | 'server' | 'envconfig' | 'runtime';

/**
 * How broad a pattern is, for ranking. Unset means specific (a named reason such as `UnknownIssuer`).
 * `family`: a symptom with several causes, such as a server status or a reset connection.
 * `wrapper`: an outer message that only says a connect failed (`TransportError`, `failed reaching server`).
 */
export type Breadth = 'family' | 'wrapper';

export interface KnownError {
  /** Stable, kebab-case, `<source>-<subject>`. */
  id: string;
  source: ErrorSource;
  stage: StageId;
  /** Case-insensitive; tolerates the old and new Rust `Debug` forms. */
  pattern: RegExp;
  /** One line, sentence case, no final period. */
  title: string;
  /** Most likely first. */
  causes: string[];
  /** Extra `temporal-doctor` flags that help confirm it; the classifier builds the full command. */
  confirmWith: string[];
  /** The text hides the cause (a timeout or a bare wrapper): only the full staged check can say which stage fails. */
  nonDiagnostic?: boolean;
  breadth?: Breadth;
  /** Real message texts copied from the reference docs. */
  examples: string[];
}

const CA_FLAG = '--tls-ca-path <server CA PEM>';
const CLIENT_PAIR_FLAGS = ['--tls-cert-path <client cert PEM>', '--tls-key-path <client key PEM>'];
const SERVER_NAME_FLAG = '--tls-server-name <name on the server certificate>';
const API_KEY_FLAG = '--api-key <your API key>';

// Shared by the worker's reset/broken-pipe family and its Client and Go counterparts
// (docs/research/sdk-stacks.md#worker-texts-that-vary-between-runs).
const DROPPED_AT_FIRST_REQUEST_CAUSES = [
  'The client speaks plaintext to a TLS server: TLS is off (for example an API key with TLS disabled)',
  'The server requires a client certificate (mTLS) and none was sent',
  'The server rejected the client certificate: it is not signed by a CA the server or namespace accepts',
  'The client certificate PEM was mangled (literal \\n, placeholder) so no usable certificate was sent',
  'The peer is not a gRPC server (an HTTP/1.1 service, web port or load balancer)',
];

const UNKNOWN_ISSUER_CAUSES = [
  'The server certificate chains to a CA this stack does not trust: a private CA that is not configured',
  'The configured server CA is the wrong file: your own client-signing CA, the server leaf, an intermediate only, or empty',
  'For Temporal Cloud, a server CA was set at all: it replaces the public roots Cloud chains to',
  'The Worker uses the OS trust store: a slim or distroless image without ca-certificates, or a CA only in NODE_EXTRA_CA_CERTS',
];

export const KNOWN_ERRORS: readonly KnownError[] = [
  // ── config / endpoint: option and envconfig validation, before any network ──────────────────────────────
  {
    id: 'sdk-address-invalid',
    source: 'sdk',
    stage: 'endpoint',
    pattern: /Invalid address for Temporal gRPC endpoint/i,
    title: 'The address is not in host or host:port form',
    causes: [
      'The address has a scheme such as https:// or http://; the SDK wants host:port only',
      'The address was copied from a URL or the Web UI instead of the namespace gRPC endpoint',
      'An IPv6 address without brackets, or a path after the port',
    ],
    confirmWith: [],
    examples: [
      "TypeError: Invalid address for Temporal gRPC endpoint: expected URI of the form 'hostname' or 'hostname:port'; got '...'",
      "Invalid address for Temporal gRPC endpoint: expected URI of the form 'hostname' or 'hostname:port'; got 'http://localhost:<port>'",
    ],
  },
  {
    id: 'sdk-api-key-and-authorization',
    source: 'sdk',
    stage: 'config',
    pattern: /Both .apiKey. (?:option )?and .(?:Authorization|credentials)./i,
    title: 'Both an API key and an Authorization header (or credentials) were given',
    causes: [
      'The API key is set both as apiKey and as an Authorization metadata header',
      'Code written for manual Bearer headers was kept after switching to the apiKey option',
    ],
    confirmWith: [],
    examples: [
      'TypeError: Both `apiKey` option and `Authorization` header were provided, but only one makes sense to use at a time.',
      'TypeError: Both `apiKey` option and `Authorization` header were provided. Only one makes sense to use at a time.',
    ],
  },
  {
    id: 'client-metadata-illegal-characters',
    source: 'client',
    stage: 'config',
    pattern: /Metadata (?:key|string value) .{0,2000}?contains illegal characters/i,
    title: 'A gRPC header key or value has characters gRPC does not allow',
    causes: [
      'The API key ends in a newline or space, typically because it was read from a file',
      'A metadata header value contains a newline',
      'A metadata header name contains a space or another illegal character',
    ],
    confirmWith: [],
    examples: [
      'Error: Metadata key "bad key" contains illegal characters',
      'Error: Metadata string value "Bearer secret-key\n" contains illegal characters',
    ],
  },
  {
    id: 'worker-invalid-metadata',
    source: 'worker',
    stage: 'config',
    pattern: /Invalid metadata key: Invalid ASCII header (?:key|value)/i,
    title: 'A gRPC header key or value is not valid ASCII header text',
    causes: [
      'A metadata header value contains a newline or other control character (the message says key but means the value)',
      'A metadata header name contains a space or another illegal character',
    ],
    confirmWith: [],
    examples: [
      "TypeError: Invalid metadata key: Invalid ASCII header key 'bad key': invalid gRPC metadata key name",
      "TypeError: Invalid metadata key: Invalid ASCII header value for key 'authorization': failed to parse metadata value",
    ],
  },
  {
    id: 'envconfig-profile-not-found',
    source: 'envconfig',
    stage: 'config',
    pattern: /Profile '.{0,200}?' not found in config data/i,
    title: 'The named configuration profile does not exist',
    causes: [
      'TEMPORAL_PROFILE or the profile option names a profile the config file does not have',
      'The config file was not found (a missing file is silently ignored), so no profile exists at all',
      'The profile is in a different file than TEMPORAL_CONFIG_FILE or the default path points to',
    ],
    confirmWith: ['--profile <profile name>', '--config-file <path to temporal.toml>'],
    examples: ["Error: Profile 'prod' not found in config data", "Error: Profile 'cloud' not found in config data"],
  },
  {
    id: 'envconfig-path-and-data',
    source: 'envconfig',
    stage: 'config',
    pattern: /Cannot specify both \w+_path and \w+_data/i,
    title: 'A TLS setting is given both as a file path and as inline data',
    causes: [
      'Both the *_path and the *_data form of the same TLS setting are set, across the file and the environment',
    ],
    confirmWith: [],
    examples: ['Error: Cannot specify both client_cert_path and client_cert_data'],
  },
  {
    id: 'envconfig-unknown-key',
    source: 'envconfig',
    stage: 'config',
    pattern: /Validation error: key\(s\) unrecognized/i,
    title: 'The config file has a key envconfig does not know',
    causes: ['A typo in a TOML key (for example addres)', 'A key from another tool or SDK version'],
    confirmWith: ['--config-file <path to temporal.toml>'],
    examples: ['Error: Validation error: key(s) unrecognized in profile.default: addres'],
  },
  {
    id: 'envconfig-toml-syntax',
    source: 'envconfig',
    stage: 'config',
    pattern: /TomlError|Invalid TOML document/i,
    title: 'The config file is not valid TOML',
    causes: ['A syntax error in temporal.toml, such as an unquoted string value'],
    confirmWith: ['--config-file <path to temporal.toml>'],
    examples: ['TomlError: Invalid TOML document: invalid value'],
  },
  {
    id: 'envconfig-disable-both',
    source: 'envconfig',
    stage: 'config',
    pattern: /Cannot disable both file and environment loading/i,
    title: 'Both file and environment loading were disabled',
    causes: ['disableFile and disableEnv are both set, so there is nothing to load'],
    confirmWith: [],
    examples: ['Error: Cannot disable both file and environment loading'],
  },
  {
    id: 'envconfig-file-missing',
    source: 'envconfig',
    stage: 'config',
    pattern: /ENOENT.{0,300}?open '/i,
    title: 'A configured file does not exist',
    causes: [
      'A TEMPORAL_TLS_*_PATH variable or *_path key points to a missing file',
      'A relative path resolved from a different working directory than expected',
    ],
    confirmWith: [],
    examples: ["Error [ENOENT]: ENOENT: no such file or directory, open '<path>'"],
  },
  {
    id: 'runtime-glibc-missing',
    source: 'runtime',
    stage: 'config',
    pattern: /ld-linux-x86-64\.so\.2|ld-linux-aarch64\.so\.1/i,
    title: 'The Worker native bridge cannot load: the system has no glibc',
    causes: [
      'The image is Alpine or another musl-based system; @temporalio/core-bridge needs glibc',
      'Use a Debian- or Ubuntu-based (slim) image for the Worker',
    ],
    confirmWith: [],
    examples: ['Error loading shared library ld-linux-x86-64.so.2 (needed by .../@temporalio/core-bridge/index.node)'],
  },

  // ── pem: certificate and key material ──────────────────────────────────────────────────────────────────
  {
    id: 'worker-certificate-parse-error',
    source: 'worker',
    stage: 'pem',
    pattern: /CertificateParseError/i,
    title: 'A certificate PEM (server CA or client cert) cannot be parsed',
    causes: [
      'The PEM has literal \\n instead of line breaks (typical for PEM in environment variables)',
      'The PEM was squashed onto one line, or its END line is missing',
      'The client certificate and key were swapped, or a non-PEM file was given',
    ],
    confirmWith: [CA_FLAG, ...CLIENT_PAIR_FLAGS],
    examples: [
      'Failed client connect: Server connection error: tonic::transport::Error(Transport, CertificateParseError)',
      'TransportError: tonic::transport::Error(Transport, CertificateParseError)',
    ],
  },
  {
    id: 'worker-private-key-parse-error',
    source: 'worker',
    stage: 'pem',
    pattern: /PrivateKeyParseError/i,
    title: 'The client private key cannot be parsed',
    causes: [
      'The key is encrypted (the SDK has no passphrase option)',
      'The certificate and key were swapped',
      'The key is indented, truncated or empty',
    ],
    confirmWith: CLIENT_PAIR_FLAGS,
    examples: ['TransportError: tonic::transport::Error(Transport, PrivateKeyParseError)'],
  },
  {
    id: 'worker-key-mismatch',
    source: 'worker',
    stage: 'pem',
    pattern: /InconsistentKeys|KeyMismatch/i,
    title: 'The client private key does not belong to the client certificate',
    causes: [
      'The key and certificate come from different pairs (for example after a rotation)',
      'The wrong file is in the certificate slot, such as the CA certificate',
    ],
    confirmWith: CLIENT_PAIR_FLAGS,
    examples: ['TransportError: tonic::transport::Error(Transport, InconsistentKeys(KeyMismatch))'],
  },
  {
    id: 'openssl-key-values-mismatch',
    source: 'openssl',
    stage: 'pem',
    pattern: /key values mismatch|KEY_VALUES_MISMATCH/i,
    title: 'The client private key does not belong to the client certificate',
    causes: [
      'The key and certificate come from different pairs (for example after a rotation)',
      'The wrong file is in the certificate slot, such as the CA certificate',
    ],
    confirmWith: CLIENT_PAIR_FLAGS,
    examples: [
      'Error [ERR_OSSL_X509_KEY_VALUES_MISMATCH]: error:05800074:x509 certificate routines::key values mismatch',
    ],
  },
  {
    id: 'openssl-pem-no-start-line',
    source: 'openssl',
    stage: 'pem',
    pattern: /no start line|PEM_NO_START_LINE/i,
    title: 'A PEM input has no readable BEGIN line',
    causes: [
      'The client certificate and key were swapped',
      'The PEM has literal \\n instead of line breaks, or was squashed onto one line',
      'The PEM lines are indented, or the input is not PEM at all (DER, a file path, empty)',
    ],
    confirmWith: CLIENT_PAIR_FLAGS,
    examples: ['Error [ERR_OSSL_PEM_NO_START_LINE]: error:0480006C:PEM routines::no start line'],
  },
  {
    id: 'openssl-pem-bad-end-line',
    source: 'openssl',
    stage: 'pem',
    pattern: /bad end line|PEM_BAD_END_LINE/i,
    title: 'A PEM input is truncated: its END line is missing or damaged',
    causes: ['The certificate was cut off when copied into a secret or variable'],
    confirmWith: CLIENT_PAIR_FLAGS,
    examples: ['Error [ERR_OSSL_PEM_BAD_END_LINE]: error:04800066:PEM routines::bad end line'],
  },
  {
    id: 'openssl-bad-decrypt',
    source: 'openssl',
    stage: 'pem',
    pattern: /bad decrypt|ERR_OSSL_BAD_DECRYPT/i,
    title: 'The client private key is encrypted',
    causes: ['The key is passphrase-protected; the SDK has no passphrase option, so decrypt it first'],
    confirmWith: ['--tls-key-path <client key PEM>'],
    examples: ['Error [ERR_OSSL_BAD_DECRYPT]: error:1C800064:Provider routines::bad decrypt'],
  },
  {
    id: 'openssl-decoder-unsupported',
    source: 'openssl',
    stage: 'pem',
    pattern: /DECODER routines::unsupported/i,
    title: 'The client private key cannot be decoded',
    causes: ['The key is truncated (END line missing) or empty', 'The key slot holds something that is not a key'],
    confirmWith: ['--tls-key-path <client key PEM>'],
    examples: ['Error [ERR_OSSL_UNSUPPORTED]: error:1E08010C:DECODER routines::unsupported'],
  },
  {
    id: 'go-pem-inputs-switched',
    source: 'go',
    stage: 'pem',
    pattern: /PEM inputs may have been switched|failed to find (?:certificate|any) PEM data/i,
    title: 'The certificate and key inputs look swapped or are not PEM',
    causes: ['The client certificate and key paths or values were swapped', 'The input is not PEM'],
    confirmWith: CLIENT_PAIR_FLAGS,
    examples: [
      'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched',
    ],
  },
  {
    id: 'go-private-key-mismatch',
    source: 'go',
    stage: 'pem',
    pattern: /private key does not match public key/i,
    title: 'The client private key does not belong to the client certificate',
    causes: ['The key and certificate come from different pairs (for example after a rotation)'],
    confirmWith: CLIENT_PAIR_FLAGS,
    examples: ['tls: private key does not match public key'],
  },
  {
    id: 'go-private-key-unparseable',
    source: 'go',
    stage: 'pem',
    pattern: /tls: failed to parse private key/i,
    title: 'The client private key cannot be parsed',
    causes: ['The key is mangled, encrypted or in an unsupported format'],
    confirmWith: ['--tls-key-path <client key PEM>'],
    examples: ['tls: failed to parse private key'],
  },
  {
    id: 'go-closed-before-preface',
    source: 'go',
    stage: 'pem',
    pattern: /connection closed before server preface received/i,
    title: 'The server closed the connection right after the TLS handshake',
    causes: [
      'The client certificate has expired (workers that "suddenly stop connecting")',
      'The server rejected the client certificate: its CA is not accepted by the namespace',
      'The server requires a client certificate and none was sent',
    ],
    confirmWith: CLIENT_PAIR_FLAGS,
    examples: [
      'Failed to create SDK client {"error": "failed reaching server: last connection error: connection closed before server preface received"}',
    ],
  },

  // ── dns ────────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'worker-dns-error',
    source: 'worker',
    stage: 'dns',
    pattern: /dns error|failed to lookup address information/i,
    title: 'The host name in the address does not resolve',
    causes: [
      'A typo in the host name, or a host that does not exist',
      'For *.tmprl.cloud: the namespace-derived host does not exist (wrong namespace ID or account ID); copy the gRPC address from the namespace page',
      'The Web UI host was used instead of the gRPC endpoint',
      'The name only resolves inside a VPN or private DNS zone (PrivateLink)',
    ],
    confirmWith: [],
    examples: [
      'TransportError: tonic::transport::Error(Transport, hyper::Error(Connect, ConnectError("dns error", Custom { kind: Uncategorized, error: "failed to lookup address information: nodename nor servname provided, or not known" })))',
      'TransportError: tonic::transport::Error(Transport, ConnectError(ConnectError("dns error", Custom { kind: Uncategorized, error: "failed to lookup address information: Name or service not known" })))',
    ],
  },
  {
    id: 'client-name-resolution-failed',
    source: 'client',
    stage: 'dns',
    pattern: /Name resolution failed for target/i,
    title: 'The host name in the address does not resolve',
    causes: [
      'A typo in the host name, or a host that does not exist',
      'For *.tmprl.cloud: the namespace-derived host does not exist (wrong namespace ID or account ID)',
      'The name only resolves inside a VPN or private DNS zone (PrivateLink)',
    ],
    confirmWith: [],
    examples: ['14 UNAVAILABLE: Name resolution failed for target dns:something.invalid:7233'],
  },
  {
    id: 'go-resolver-zero-addresses',
    source: 'go',
    stage: 'dns',
    pattern: /produced zero addresses/i,
    title: 'The resolver returned no addresses for the host',
    causes: [
      'The host name has no A or AAAA records in this environment',
      'A container or cluster resolver problem (search domains, SRV lookups on a named port)',
    ],
    confirmWith: [],
    examples: ['last resolver error: produced zero addresses'],
  },

  // ── tcp ────────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'worker-tcp-refused',
    source: 'worker',
    stage: 'tcp',
    pattern: /tcp connect error.{0,400}?(?:ConnectionRefused|Connection refused)/i,
    title: 'Nothing is listening at the address (connection refused)',
    causes: [
      'The server is not running (for example the dev server was not started)',
      'An address variable is unset, so a localhost default was used',
      'Inside a container, localhost is the container itself: use host.docker.internal or the service name',
      'The wrong port, or localhost resolved to ::1 while the server listens on IPv4 only',
    ],
    confirmWith: [],
    examples: [
      'TransportError: tonic::transport::Error(Transport, hyper::Error(Connect, ConnectError("tcp connect error", Os { code: 61, kind: ConnectionRefused, message: "Connection refused" })))',
      'RuntimeError: Failed client connect: Server connection error: tonic::transport::Error(Transport, ConnectError(ConnectError("tcp connect error", 127.0.0.1:7233, Os { code: 111, kind: ConnectionRefused ...',
      'TransportError: tonic::transport::Error(Transport, ConnectError(ConnectError("tcp connect error", [::1]:<port>, Os { code: 111, kind: ConnectionRefused, message: "Connection refused" })))',
    ],
  },
  {
    id: 'client-connection-refused',
    source: 'client',
    stage: 'tcp',
    pattern: /ECONNREFUSED/i,
    title: 'Nothing is listening at the address (connection refused)',
    causes: [
      'The server is not running (for example the dev server was not started)',
      'Inside a container, localhost is the container itself: use host.docker.internal or the service name',
      'The wrong port, or localhost resolved to ::1 while the server listens on IPv4 only',
    ],
    confirmWith: [],
    // Family: a proxy refusing (client-proxy-failed) prints ECONNREFUSED too and must rank first.
    breadth: 'family',
    examples: ['14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:<port>'],
  },
  {
    id: 'worker-tcp-address-not-available',
    source: 'worker',
    stage: 'tcp',
    pattern: /AddrNotAvailable|Cannot assign requested address/i,
    title: 'The address cannot be reached from this network namespace',
    causes: [
      'The Worker runs in a container and the address is not reachable from inside it',
      'The address is an IPv6 or local address the container has no route to',
    ],
    confirmWith: [],
    examples: [
      'TransportError: ... ConnectError("tcp connect error", Os { code: 99, kind: AddrNotAvailable, message: "Cannot assign requested address" })',
    ],
  },
  {
    id: 'worker-system-info-timeout',
    source: 'worker',
    stage: 'tcp',
    pattern: /Failed to call GetSystemInfo:.{0,400}?Timeout ?expired|TimeoutExpired/i,
    title: 'The connection opened but the server never answered (30 s timeout)',
    causes: [
      'The server is down or starting, behind something that still accepts TCP',
      'A firewall, wrong port or load balancer accepts the connection and stays silent',
      'The server is up but stuck and never answers GetSystemInfo',
    ],
    confirmWith: [],
    examples: [
      'TransportError: Failed to call GetSystemInfo: status: Cancelled, message: "Timeout expired", details: [], metadata: MetadataMap { headers: {} }',
      'Failed to call GetSystemInfo: code: \'The operation was cancelled\', message: "Timeout expired", source: tonic::transport::Error(Transport, TimeoutExpired(()))',
    ],
  },
  {
    id: 'client-deadline-waiting-for-connection',
    source: 'client',
    stage: 'tcp',
    pattern: /DEADLINE_EXCEEDED.{0,400}?Waiting for LB pick/i,
    title: 'The call timed out before any connection was ready',
    causes: [
      'A firewall, wrong port or load balancer accepts TCP and stays silent',
      'The TLS handshake never completes (the peer does not answer it)',
    ],
    confirmWith: [],
    examples: [
      '4 DEADLINE_EXCEEDED: Deadline exceeded after 4.852s,name resolution: 0.022s,metadata filters: 0.001s,time to current attempt start: 0.003s,Waiting for LB pick',
    ],
  },
  {
    id: 'go-preface-timeout',
    source: 'go',
    stage: 'tcp',
    pattern: /failed to receive server preface within timeout/i,
    title: 'The connection opened but no HTTP/2 preface arrived in time',
    causes: [
      'A kubectl port-forward or proxy accepts the connection but does not pass traffic through',
      'The peer is not a gRPC server, or it is a TLS server dialled in plaintext',
    ],
    confirmWith: [],
    examples: ['last connection error: failed to receive server preface within timeout'],
  },
  {
    id: 'worker-proxy-failed',
    source: 'worker',
    stage: 'tcp',
    pattern: /client error \((?:Connect|SendRequest)\)/i,
    title: 'The Worker could not go through its configured HTTP CONNECT proxy',
    causes: [
      'The proxy in the NativeConnection proxy option is not running or not reachable',
      'The proxy address points to something that is not an HTTP CONNECT proxy',
      'The Worker ignores HTTPS_PROXY and friends: only the proxy option applies',
    ],
    confirmWith: [],
    examples: [
      'TransportError: tonic::transport::Error(Transport, ConnectError(client error (Connect)\n\nCaused by:\n    Connection refused (os error 111)))',
      'TransportError: tonic::transport::Error(Transport, ConnectError(client error (SendRequest)\n\nCaused by:\n    connection closed before message completed))',
    ],
  },
  {
    id: 'client-proxy-failed',
    source: 'client',
    stage: 'tcp',
    pattern: /Failed to connect to proxy/i,
    title: 'The Client could not reach the proxy from its environment',
    causes: [
      'grpc_proxy, https_proxy or http_proxy (lower case) points to a proxy that is down',
      'The proxy variable was meant for other tools; add the Temporal host to no_proxy',
    ],
    confirmWith: [],
    examples: ['E Failed to connect to proxy 127.0.0.1:<port> with error connect ECONNREFUSED'],
  },

  // ── tls ────────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'worker-tls-unknown-issuer',
    source: 'worker',
    stage: 'tls',
    pattern: /UnknownIssuer/i,
    title: 'The server certificate is not signed by a CA the Worker trusts',
    causes: UNKNOWN_ISSUER_CAUSES,
    confirmWith: [CA_FLAG],
    examples: [
      'TransportError: tonic::transport::Error(Transport, hyper::Error(Connect, Custom { kind: InvalidData, error: InvalidCertificateData("invalid peer certificate: UnknownIssuer") }))',
      'Connection failed: Server connection error: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidCertificate(UnknownIssuer) }))',
      'Failed client connect: Server connection error: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidCertificate(UnknownIssuer) }))',
      '[TransportError: transport error: error trying to connect: invalid certificate: UnknownIssuer]',
    ],
  },
  {
    id: 'openssl-unable-to-verify',
    source: 'openssl',
    stage: 'tls',
    pattern:
      /unable to verify the first certificate|unable to get local issuer certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/i,
    title: 'The server certificate is not signed by a CA the Client trusts',
    causes: [
      'A private CA that is not configured as the server CA',
      'For Temporal Cloud, the server CA was set to your own client-signing CA: it replaces the public roots',
      'The configured CA PEM is unreadable (literal \\n, missing END line) and Node silently ignores it',
      'The CA is only in SSL_CERT_FILE, which the Client ignores; or an intermediate is missing from the chain',
    ],
    confirmWith: [CA_FLAG],
    examples: [
      '14 UNAVAILABLE: No connection established. Last error: Error: unable to verify the first certificate. Resolution note:',
      'unable to get local issuer certificate',
    ],
  },
  {
    id: 'go-x509-unknown-authority',
    source: 'go',
    stage: 'tls',
    pattern: /x509: certificate signed by unknown authority/i,
    title: 'The server certificate is not signed by a CA the client trusts',
    causes: [
      'A self-hosted cluster with an internal CA that is not configured as the server CA',
      'The wrong CA file, or an intermediate is missing from the chain',
    ],
    confirmWith: [CA_FLAG],
    examples: [
      'failed reaching server: connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority"',
    ],
  },
  {
    id: 'go-x509-insecure-sha1',
    source: 'go',
    stage: 'tls',
    pattern: /insecure algorithm SHA1/i,
    title: 'A certificate in the chain is signed with SHA-1, which Go rejects',
    causes: ['The CA or server certificate was signed with SHA-1: re-sign it with SHA-256'],
    confirmWith: [CA_FLAG],
    examples: [
      'x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm SHA1-RSA ...")',
    ],
  },
  {
    id: 'go-x509-legacy-common-name',
    source: 'go',
    stage: 'tls',
    pattern: /relies on legacy Common Name field/i,
    title: 'The server certificate has its name only in the CN, without a SAN',
    causes: ['The certificate was made with an old openssl recipe: re-issue it with a subjectAltName'],
    confirmWith: [SERVER_NAME_FLAG],
    examples: ['x509: certificate relies on legacy Common Name field, use SANs instead'],
  },
  {
    id: 'openssl-certificate-verify-failed',
    source: 'openssl',
    stage: 'tls',
    pattern: /CERTIFICATE_VERIFY_FAILED/i,
    title: 'The server certificate failed verification',
    causes: [
      'For Temporal Cloud, your own CA was passed as the server root: leave the server CA unset',
      'The server CA is missing or wrong for a self-hosted server',
    ],
    confirmWith: [CA_FLAG],
    examples: [
      'Handshake failed with fatal error SSL_ERROR_SSL: error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED.',
    ],
  },
  {
    id: 'worker-tls-not-valid-for-name',
    source: 'worker',
    stage: 'tls',
    pattern: /NotValidForName/i,
    title: 'The server certificate is not valid for the name the Worker dialled',
    causes: [
      'The certificate names do not include the host in the address (check the server name override)',
      'A CN-only certificate without SAN (presented: []): the Worker ignores the CN, the Client accepts it',
      'The address is an IP that is not in the certificate IP SANs',
      'A PrivateLink or proxy host is dialled: set the server name to the namespace endpoint',
    ],
    confirmWith: [SERVER_NAME_FLAG],
    examples: [
      'InvalidCertificate(NotValidForName)',
      'TransportError: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidCertificate(NotValidForNameContext { expected: DnsName("localhost"), presented: [] }) }))',
      'TransportError: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidCertificate(NotValidForNameContext { expected: DnsName("localhost"), presented: ["DnsName(\\"other.example\\")"] }) }))',
    ],
  },
  {
    id: 'openssl-hostname-mismatch',
    source: 'openssl',
    stage: 'tls',
    pattern: /ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/i,
    title: 'The server certificate is not valid for the name the Client dialled',
    causes: [
      'The certificate names do not include the host in the address',
      'The server name override is wrong',
      'The address is an IP that is not in the certificate IP SANs',
    ],
    confirmWith: [SERVER_NAME_FLAG],
    examples: [
      "14 UNAVAILABLE: No connection established. Last error: Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:other.example. Resolution note:",
    ],
  },
  {
    id: 'worker-tls-certificate-expired',
    source: 'worker',
    stage: 'tls',
    pattern: /ExpiredContext|InvalidCertificate\(Expired|NotValidYet/i,
    title: 'The server certificate has expired or is not yet valid',
    causes: ['The server certificate has expired', 'The clock on this machine is wrong'],
    confirmWith: [],
    examples: [
      'TransportError: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidCertificate(ExpiredContext { time: UnixTime(1795915638), not_after: UnixTime(1609459200) }) }))',
    ],
  },
  {
    id: 'openssl-certificate-expired',
    source: 'openssl',
    stage: 'tls',
    pattern: /certificate has expired|CERT_HAS_EXPIRED/i,
    title: 'The server certificate has expired',
    causes: ['The server certificate has expired', 'The clock on this machine is wrong'],
    confirmWith: [],
    examples: [
      '14 UNAVAILABLE: No connection established. Last error: Error: certificate has expired. Resolution note:',
    ],
  },
  {
    id: 'worker-tls-ca-used-as-end-entity',
    source: 'worker',
    stage: 'tls',
    pattern: /CaUsedAsEndEntity/i,
    title: 'The server certificate is a CA certificate (CA:TRUE), which the Worker refuses',
    causes: [
      'A self-signed server certificate made with openssl req -x509, which defaults to CA:TRUE; the Client accepts it',
      'Re-issue the server certificate as a CA:FALSE leaf signed by a CA',
    ],
    confirmWith: [CA_FLAG],
    examples: [
      'InvalidCertificate(Other(CaUsedAsEndEntity))',
      'TransportError: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidCertificate(Other(OtherError(CaUsedAsEndEntity))) }))',
    ],
  },
  {
    id: 'worker-tls-unsupported-cert-version',
    source: 'worker',
    stage: 'tls',
    pattern: /UnsupportedCertVersion/i,
    title: 'The server certificate is X.509 v1, which the Worker refuses',
    causes: ['An old openssl recipe made a v1 certificate: re-issue it as X.509 v3 with a SAN'],
    confirmWith: [CA_FLAG],
    examples: ['invalid peer certificate: Other(UnsupportedCertVersion)'],
  },
  {
    id: 'worker-tls-h2-not-negotiated',
    source: 'worker',
    stage: 'tls',
    pattern: /H2NotNegotiated/i,
    title: 'The TLS server did not negotiate HTTP/2 (no ALPN h2)',
    causes: [
      'A TLS terminator or load balancer in front of the server does not do ALPN; the Client still works',
      'A corporate TLS-inspecting proxy that drops ALPN',
    ],
    confirmWith: [],
    examples: ['TransportError: tonic::transport::Error(Transport, ConnectError(H2NotNegotiated))'],
  },
  {
    id: 'worker-tls-no-application-protocol',
    source: 'worker',
    stage: 'tls',
    pattern: /NoApplicationProtocol/i,
    title: 'The TLS server offers no HTTP/2 in ALPN',
    causes: [
      'The TLS endpoint is an HTTPS (HTTP/1.1) service, not the gRPC port',
      'A load balancer configured for HTTP/1.1',
    ],
    confirmWith: [],
    examples: [
      'TransportError: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: AlertReceived(NoApplicationProtocol) }))',
    ],
  },
  {
    id: 'openssl-no-application-protocol',
    source: 'openssl',
    stage: 'tls',
    pattern: /no application protocol|SSL alert number 120/i,
    title: 'The TLS server offers no HTTP/2 in ALPN',
    causes: [
      'The TLS endpoint is an HTTPS (HTTP/1.1) service, not the gRPC port',
      'A load balancer configured for HTTP/1.1',
    ],
    confirmWith: [],
    examples: [
      '14 UNAVAILABLE: No connection established. Last error: Error: <hex>:error:0A000460:SSL routines:ssl3_read_bytes:tlsv1 alert no application protocol:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 120',
    ],
  },
  {
    id: 'go-missing-alpn',
    source: 'go',
    stage: 'tls',
    pattern: /missing selected ALPN property/i,
    title: 'The TLS server did not negotiate HTTP/2 (no ALPN h2)',
    causes: [
      'A TLS terminator, load balancer or TLS-inspecting proxy that does not negotiate h2',
      'An old Temporal server with per-host TLS overrides that omitted h2',
    ],
    confirmWith: [],
    examples: [
      'transport: authentication handshake failed: credentials: cannot check peer: missing selected ALPN property',
      'Cannot check peer: missing selected ALPN property',
    ],
  },
  {
    id: 'worker-tls-to-plaintext-server',
    source: 'worker',
    stage: 'tls',
    pattern: /InvalidContentType|received corrupt message/i,
    title: 'The Worker speaks TLS but the server answers in plaintext',
    causes: [
      'An API key turns TLS on by default, and the server (a dev or self-hosted server) is plaintext',
      'TLS is enabled by envconfig (an empty TEMPORAL_API_KEY or any TEMPORAL_TLS_* variable) against a plaintext server',
      'The address points to a plaintext port or an HTTP service',
    ],
    confirmWith: [],
    examples: [
      'TransportError: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidMessage(InvalidContentType) }))',
      'received corrupt message of type InvalidContentType',
    ],
  },
  {
    id: 'openssl-wrong-version-number',
    source: 'openssl',
    stage: 'tls',
    pattern: /wrong version number/i,
    title: 'The Client speaks TLS but the server answers in plaintext',
    causes: [
      'An API key turns TLS on by default, and the server (a dev or self-hosted server) is plaintext',
      'TLS is enabled by envconfig against a plaintext server',
      'The address points to a plaintext port or an HTTP service',
    ],
    confirmWith: [],
    examples: [
      '14 UNAVAILABLE: No connection established. Last error: Error: <hex>:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:',
    ],
  },
  {
    id: 'go-first-record-not-tls',
    source: 'go',
    stage: 'tls',
    pattern: /first record does not look like a TLS handshake/i,
    title: 'The client speaks TLS but the server answers in plaintext',
    causes: [
      'An API key forces TLS against a plaintext self-hosted server',
      'TLS is enabled while the server port is plaintext',
    ],
    confirmWith: [],
    examples: ['`context canceled` (underlying `tls: first record does not look like a TLS handshake`)'],
  },
  {
    id: 'worker-tls-certificate-required',
    source: 'worker',
    stage: 'tls',
    pattern: /CertificateRequired/i,
    title: 'The server requires a client certificate (mTLS) and none was sent',
    causes: [
      'The client certificate and key are not configured, or only one of the pair was set (envconfig then drops both)',
      'An API key was sent to an mTLS namespace endpoint',
    ],
    confirmWith: CLIENT_PAIR_FLAGS,
    examples: [
      'Failed to call GetSystemInfo: code: \'Unknown error\', message: "transport error", source: tonic::transport::Error(Transport, hyper::Error(Io, Custom { kind: InvalidData, error: "received fatal alert: CertificateRequired" }))',
    ],
  },
  {
    id: 'openssl-certificate-required',
    source: 'openssl',
    stage: 'tls',
    pattern: /alert certificate required|SSL alert number 116/i,
    title: 'The server requires a client certificate (mTLS) and none was sent',
    causes: [
      'The client certificate and key are not configured, or only one of the pair was set (envconfig then drops both)',
      'An API key was sent to an mTLS namespace endpoint',
    ],
    confirmWith: CLIENT_PAIR_FLAGS,
    examples: [
      '14 UNAVAILABLE: No connection established. Last error: <hex>:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 116',
    ],
  },
  {
    id: 'go-certificate-required',
    source: 'go',
    stage: 'tls',
    pattern: /tls: certificate required/i,
    title: 'The server requires a client certificate (mTLS) and none was sent',
    causes: [
      'An API key was sent to an mTLS namespace endpoint: use the endpoint for API keys, or mTLS',
      'The client certificate and key flags or variables are missing',
    ],
    confirmWith: CLIENT_PAIR_FLAGS,
    examples: [
      'failed to create Temporal client connection: failed reaching server: connection error: desc = "error reading server preface: remote error: tls: certificate required"',
    ],
  },
  {
    id: 'worker-tls-bad-certificate',
    source: 'worker',
    stage: 'tls',
    pattern: /BadCertificate/i,
    title: 'The server rejected the client certificate',
    causes: [
      'The client certificate is not signed by a CA the server or namespace accepts',
      'The client certificate has the wrong Extended Key Usage (internode certs need none, or both server and client auth)',
      'The client certificate has expired',
    ],
    confirmWith: CLIENT_PAIR_FLAGS,
    examples: ['AlertReceived(BadCertificate)', 'received fatal alert: BadCertificate'],
  },
  {
    id: 'go-bad-certificate',
    source: 'go',
    stage: 'tls',
    pattern: /tls: bad certificate/i,
    title: 'The server rejected the client certificate',
    causes: [
      'The client certificate is not signed by a CA the server or namespace accepts',
      'The client certificate has the wrong Extended Key Usage (internode certs need none, or both server and client auth)',
      'The client certificate has expired',
    ],
    confirmWith: CLIENT_PAIR_FLAGS,
    examples: ['remote error: tls: bad certificate'],
  },
  {
    id: 'worker-connection-dropped',
    source: 'worker',
    stage: 'tls',
    // One family across runs (docs/research/sdk-stacks.md#worker-texts-that-vary-between-runs): reset, broken pipe,
    // cancelled or unexpected EOF at the first request.
    pattern:
      /ConnectionReset|BrokenPipe|broken pipe|hyper::Error\(Canceled|connection was not ready|close_notify|UnexpectedEof/i,
    title: 'The server dropped the connection at the first request',
    causes: DROPPED_AT_FIRST_REQUEST_CAUSES,
    confirmWith: [],
    breadth: 'family',
    examples: [
      'TransportError: Failed to call GetSystemInfo: code: \'Unknown error\', message: "transport error", source: tonic::transport::Error(Transport, hyper::Error(Io, Kind(ConnectionReset)))',
      'get_system_info Status { code: Unknown, message: "transport error", source: ... hyper::Error(Io, Kind(ConnectionReset)) }',
      'TransportError: Failed to call GetSystemInfo: code: \'Unknown error\', message: "transport error", source: tonic::transport::Error(Transport, hyper::Error(Io, Custom { kind: BrokenPipe, error: "stream closed because of a broken pipe" }))',
      'TransportError: Failed to call GetSystemInfo: code: \'The operation was cancelled\', message: "operation was canceled", source: tonic::transport::Error(Transport, hyper::Error(Canceled, "connection closed"))',
    ],
  },
  {
    id: 'client-connection-reset',
    source: 'client',
    stage: 'tls',
    pattern: /read ECONNRESET|Last error: Failed to connect\b/i,
    title: 'The server dropped the connection during or right after the handshake',
    causes: DROPPED_AT_FIRST_REQUEST_CAUSES,
    confirmWith: [],
    breadth: 'family',
    examples: ['14 UNAVAILABLE: No connection established. Last error: Failed to connect (<time>). Resolution note:'],
  },
  {
    id: 'go-preface-connection-reset',
    source: 'go',
    stage: 'tls',
    // "error reading server preface" comes after the TCP connect and the TLS handshake: a rejection after them, not
    // a network fault (docs/research/middleboxes.md#client-certificate-rejection). Windows words the reset as wsarecv.
    pattern:
      /error reading server preface:.{0,400}?(?:connection reset by peer|forcibly closed by the remote host|wsarecv)/i,
    title: 'The server reset the connection after the TCP connect and the TLS handshake, before HTTP/2 started',
    causes: [
      'An API key is used with TLS off (for example TEMPORAL_API_KEY with an old CLI): turn TLS on',
      'The namespace uses mTLS and no client certificate and key were given',
      'The server rejected the client certificate after the TLS 1.3 handshake (it resets instead of sending an alert)',
    ],
    confirmWith: ['--tls'],
    examples: [
      'failed reaching server: last connection error: connection error: desc = "error reading server preface: read tcp ...:7233: read: connection reset by peer"',
      'failed reaching server: last connection error: connection error: desc = "error reading server preface: read tcp 10.0.0.114:54595->18.221.164.238:7233: read: connection reset by peer"',
      'failed reaching server: last connection error: connection error: desc = "error reading server preface: read tcp 10.1.1.1:50412->10.2.2.2:7233: wsarecv: An existing connection was forcibly closed by the remote host."',
    ],
  },
  {
    id: 'go-connection-reset',
    source: 'go',
    stage: 'tls',
    pattern: /connection reset by peer/i,
    title: 'The server reset the connection',
    causes: [
      'An API key is sent without TLS to a TLS endpoint',
      'The namespace uses mTLS and no client certificate was given',
      'A proxy or firewall resets the connection',
    ],
    confirmWith: ['--tls'],
    breadth: 'family',
    examples: ['read: connection reset by peer'],
  },
  {
    id: 'go-preface-eof',
    source: 'go',
    stage: 'tls',
    pattern: /error reading server preface: EOF/i,
    title: 'The server closed the connection before HTTP/2 started',
    causes: [
      'A plaintext client against a TLS-enabled server: enable TLS (for example the TEMPORAL_TLS_* settings in admin tools)',
      'The namespace uses mTLS and no client certificate was given',
    ],
    confirmWith: ['--tls'],
    examples: [
      'failed reaching server: last connection error: connection error: desc = "error reading server preface: EOF"',
    ],
  },

  // ── grpc: HTTP/2 is up (or should be), the Temporal call fails ──────────────────────────────────────────
  {
    id: 'worker-not-http2-server',
    source: 'worker',
    stage: 'grpc',
    pattern: /FRAME_SIZE_ERROR|frame with invalid size|First received frame was not SETTINGS/i,
    title: 'The peer does not speak HTTP/2, so it is not a gRPC server',
    causes: [
      'The address points to an HTTP/1.1 service: a web port, ingress or L7 load balancer',
      'A TLS server is dialled in plaintext',
      'A platform ingress that does not route raw HTTP/2 (use HTTP/2 ingress with TLS)',
    ],
    confirmWith: [],
    examples: [
      'h2 protocol error: http2 error: connection error detected: frame with invalid size',
      'protocol error: frame with invalid size',
      'INTERNAL: http2 exception ... First received frame was not SETTINGS',
      'hyper::Error(Http2, Error { kind: GoAway(b"", FRAME_SIZE_ERROR, Library) })',
    ],
  },
  {
    id: 'client-protocol-error',
    source: 'client',
    stage: 'grpc',
    pattern: /Last error: Protocol error/i,
    title: 'The peer does not speak HTTP/2, so it is not a gRPC server',
    causes: ['The address points to an HTTP/1.1 service: a web port, ingress or L7 load balancer'],
    confirmWith: [],
    examples: ['14 UNAVAILABLE: No connection established. Last error: Protocol error (<time>)'],
  },
  {
    id: 'proxy-http-error-response',
    source: 'worker',
    stage: 'grpc',
    pattern: /invalid compression flag|\b50[234] Bad Gateway|service api error response 50\d/i,
    title: 'A proxy or service mesh answered instead of the Temporal server',
    causes: [
      'An HTTP proxy, gateway or mesh returned its own error page (502/503) instead of gRPC',
      'The upstream behind the proxy is down or not routed',
    ],
    confirmWith: [],
    examples: [
      'protocol error: received message with invalid compression flag: 60 ... while receiving response with status: 502 Bad Gateway',
      '`get_system_info` call error after connection: Status { code: PermissionDenied, message: "encountered c2c service api error response 503" }',
    ],
  },
  {
    id: 'client-system-info-deadline',
    source: 'client',
    stage: 'grpc',
    pattern: /DEADLINE_EXCEEDED: Deadline exceeded after.{0,400}?(?:LB pick: |remote_addr=)/i,
    title: 'Connected, but the server never answered GetSystemInfo',
    causes: ['The server is overloaded or stuck', 'A proxy or mesh forwards the connection but not the gRPC call'],
    confirmWith: [],
    examples: [
      '4 DEADLINE_EXCEEDED: Deadline exceeded after 9.891s,name resolution: 0.002s,metadata filters: 0.002s,LB pick: 0.005s,remote_addr=127.0.0.1:<port>',
    ],
  },
  {
    id: 'server-unauthenticated',
    source: 'server',
    stage: 'grpc',
    pattern: /UNAUTHENTICATED|Request unauthenticated|does not have valid authentication credentials/i,
    title: 'The server does not accept the credentials (unauthenticated)',
    causes: [
      'The API key is invalid, expired or revoked',
      'No API key reached the server: it is empty, or it has a trailing newline that the Worker silently drops',
      'The client certificate identity is not accepted',
    ],
    confirmWith: [API_KEY_FLAG],
    examples: [
      '16 UNAUTHENTICATED: Request unauthenticated.',
      'TransportError: Failed to call GetSystemInfo: code: \'The request does not have valid authentication credentials\', message: "Request unauthenticated."',
    ],
  },
  {
    id: 'worker-system-info-permission-denied',
    source: 'worker',
    stage: 'grpc',
    pattern: /Failed to call GetSystemInfo:.{0,400}?(?:does not have permission|Request unauthorized)/i,
    title: 'The server refused the first call (GetSystemInfo): permission denied',
    causes: [
      'An API key is used against the wrong regional endpoint for the namespace',
      'The credential is not allowed on this endpoint (for example an API key on an mTLS-only namespace endpoint)',
    ],
    confirmWith: [API_KEY_FLAG],
    examples: [
      'TransportError: Failed to call GetSystemInfo: code: \'The caller does not have permission to execute the specified operation\', message: "Request unauthorized."',
    ],
  },
  {
    id: 'client-connect-permission-denied',
    source: 'client',
    stage: 'grpc',
    pattern: /Failed to connect to Temporal server.{0,400}?PERMISSION_DENIED/i,
    title: 'The server refused the first call (GetSystemInfo): permission denied',
    causes: [
      'An API key is used against the wrong regional endpoint for the namespace',
      'The credential is not allowed on this endpoint (for example an API key on an mTLS-only namespace endpoint)',
    ],
    confirmWith: [API_KEY_FLAG],
    examples: [
      'ServiceError: Failed to connect to Temporal server ← cause Error [7 PERMISSION_DENIED]: 7 PERMISSION_DENIED: Request unauthorized.',
    ],
  },

  // ── namespace: authorization and existence ──────────────────────────────────────────────────────────────
  {
    id: 'go-list-namespaces-unauthorized',
    source: 'go',
    stage: 'namespace',
    pattern: /failed to list namespaces:.{0,200}?(?:Request unauthorized|PermissionDenied)/i,
    title: 'Listing namespaces is not allowed for this credential',
    causes: [
      'The certificate or API key is scoped to one namespace; ListNamespaces is an account-level call',
      'Use a per-namespace call (namespace describe) instead',
    ],
    confirmWith: [],
    examples: ['failed to list namespaces: Request unauthorized'],
  },
  {
    id: 'server-permission-denied',
    source: 'server',
    stage: 'namespace',
    pattern:
      /PERMISSION_DENIED|PermissionDenied|Request unauthorized|does not have permission|insufficient permissions/i,
    title: 'The server refused the call: permission denied',
    causes: [
      'An API key is used against the wrong regional endpoint for the namespace',
      'The identity behind the API key or certificate lacks a role on this namespace',
      'A namespace-scoped credential made an account-level call',
      'The temporal-namespace header is set by hand as well as by the SDK, or names another namespace',
    ],
    confirmWith: [API_KEY_FLAG],
    breadth: 'family',
    examples: [
      'Request unauthorized',
      '7 PERMISSION_DENIED: Request unauthorized.',
      'Network error while sending worker heartbeat Status { code: PermissionDenied, message: "Request unauthorized.", details: ... temporal.api.errordetails.v1.PermissionDeniedFailure ... caller has insufficient permissions for namespace \'<REDACTED>\' ...',
    ],
  },
  {
    id: 'server-namespace-not-found',
    source: 'server',
    stage: 'namespace',
    pattern: /Namespace .{1,300}? is not found|NamespaceNotFound/i,
    title: 'The namespace does not exist on this server',
    causes: [
      'The namespace was never registered (self-hosted without a registration job), or the check ran just after startup',
      'For Temporal Cloud, the short name was used instead of the namespace ID <name>.<account-id>',
      'A typo in the namespace, or the wrong server or endpoint',
    ],
    confirmWith: [],
    examples: ['Namespace default is not found.', '5 NOT_FOUND: Namespace my-ns is not found.'],
  },
  {
    id: 'server-not-found',
    source: 'server',
    stage: 'namespace',
    pattern: /\bNOT_FOUND\b|code = NotFound/i,
    title: 'The server answered NOT_FOUND',
    causes: ['The namespace does not exist on this server, or the short name was used instead of the namespace ID'],
    confirmWith: [],
    breadth: 'family',
    examples: ['5 NOT_FOUND'],
  },

  // ── wrappers and timeouts: they name no cause ───────────────────────────────────────────────────────────
  {
    id: 'client-connect-deadline',
    source: 'client',
    stage: 'tcp',
    pattern: /Failed to connect before the deadline/i,
    title: 'The Client gave up at its connect timeout; the message hides the cause',
    causes: ['Any DNS, TCP, TLS or HTTP/2 failure ends in this same message after connectTimeout (10 s)'],
    confirmWith: [],
    nonDiagnostic: true,
    breadth: 'wrapper',
    examples: ['Failed to connect before the deadline', 'Error: Failed to connect before the deadline'],
  },
  {
    id: 'client-connect-failed',
    source: 'client',
    stage: 'grpc',
    pattern: /Failed to connect to Temporal server/i,
    title: 'The Client connected but the first call failed; the cause is in the nested error',
    causes: ['GetSystemInfo failed; look at the nested cause (its gRPC code and text)'],
    confirmWith: [],
    nonDiagnostic: true,
    breadth: 'wrapper',
    examples: ['ServiceError: Failed to connect to Temporal server'],
  },
  {
    id: 'client-deadline-exceeded',
    source: 'client',
    stage: 'tcp',
    pattern: /\b4 DEADLINE_EXCEEDED\b/i,
    title: 'A call timed out; the message hides the cause',
    causes: ['A silent peer, a stuck server or any connection failure can end in a deadline'],
    confirmWith: [],
    nonDiagnostic: true,
    breadth: 'wrapper',
    examples: [
      '4 DEADLINE_EXCEEDED: Deadline exceeded',
      'ServiceError: Failed to connect to Temporal server caused by 4 DEADLINE_EXCEEDED: Deadline exceeded',
    ],
  },
  {
    id: 'client-unavailable',
    source: 'client',
    stage: 'tcp',
    pattern: /\b14 UNAVAILABLE\b/i,
    title: 'The Client had no usable connection; the message names no cause',
    causes: [
      'Any DNS, TCP, TLS or HTTP/2 failure; "Last error: null" means grpc-js had not recorded one yet',
      'A connection dropped in a long-running process',
    ],
    confirmWith: [],
    nonDiagnostic: true,
    breadth: 'wrapper',
    examples: ['14 UNAVAILABLE: No connection established. Last error: null. Resolution note:'],
  },
  {
    id: 'go-context-deadline-exceeded',
    source: 'go',
    stage: 'tcp',
    pattern: /context deadline exceeded|context canceled/i,
    title: 'The Go SDK or CLI gave up at its deadline; the message hides the cause',
    causes: [
      'Any DNS, TCP, TLS or HTTP/2 failure hidden behind a timeout',
      'localhost resolved to ::1 while the server or port-forward listens on IPv4 only',
    ],
    confirmWith: [],
    nonDiagnostic: true,
    breadth: 'wrapper',
    examples: ['failed reaching server: context deadline exceeded'],
  },
  {
    id: 'go-failed-reaching-server',
    source: 'go',
    stage: 'tcp',
    pattern: /failed reaching server|Error: reset failed/i,
    title: 'The Go SDK or CLI could not connect; the cause follows the prefix, if at all',
    causes: ['Any connection failure; read the text after "last connection error", or run the staged check'],
    confirmWith: [],
    nonDiagnostic: true,
    breadth: 'wrapper',
    examples: ['Error: reset failed:'],
  },
  {
    id: 'worker-get-system-info-failed',
    source: 'worker',
    stage: 'grpc',
    pattern: /Failed to call GetSystemInfo|get_system_info/i,
    title: 'The Worker connection opened but its first call failed',
    causes: ['The cause follows "source:"; a bare "transport error" names none'],
    confirmWith: [],
    nonDiagnostic: true,
    breadth: 'wrapper',
    examples: ['TransportError: Failed to call GetSystemInfo: code: \'Unknown error\', message: "transport error"'],
  },
  {
    id: 'worker-transport-error',
    source: 'worker',
    stage: 'tcp',
    pattern: /TransportError|tonic::transport::Error|transport error/i,
    title: 'The Worker could not connect; the reason, if any, is inside the TransportError',
    causes: [
      'localhost inside a container, a wrong host or port, or missing certificates',
      'tonic sometimes flattens DNS, TCP and HTTP/2 failures into a plain "transport error"',
    ],
    confirmWith: [],
    nonDiagnostic: true,
    breadth: 'wrapper',
    examples: ['TransportError'],
  },
];
