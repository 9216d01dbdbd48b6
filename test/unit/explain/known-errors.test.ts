import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { KNOWN_ERRORS, type StageId } from '../../../src/explain/known-errors.js';
import { explainError, MAX_EXPLAINED_CHARS } from '../../../src/explain/explain-error.js';
import { STAGE_IDS } from '../../../src/facts.js';

const PUBLIC_STAGES: readonly StageId[] = STAGE_IDS.filter((id): id is StageId => id !== 'codec');
const FULL_CHECK = 'temporal-doctor --address <your address> --namespace <your namespace>';

const EXAMPLES = KNOWN_ERRORS.flatMap((entry) => entry.examples.map((example) => ({ entry, example })));

describe('the known-errors catalog', () => {
  it('gives every entry a unique kebab-case id', () => {
    const ids = KNOWN_ERRORS.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it.each(KNOWN_ERRORS.map((entry) => [entry.id, entry] as const))(
    '%s is well formed: public stage, case-insensitive pattern, one-line title, causes and examples',
    (_id, entry) => {
      expect(PUBLIC_STAGES).toContain(entry.stage);
      expect(entry.pattern.flags).toContain('i');
      expect(entry.pattern.flags).not.toContain('g');
      expect(entry.title).not.toMatch(/[.\n]$/);
      expect(entry.title[0]).toBe(entry.title[0]?.toUpperCase());
      expect(entry.causes.length).toBeGreaterThan(0);
      expect(entry.examples.length).toBeGreaterThan(0);
      for (const flag of entry.confirmWith) expect(flag).toMatch(/^--[a-z-]+/);
    }
  );

  it.each(EXAMPLES.map(({ entry, example }) => [entry.id, example, entry] as const))(
    '%s is the best match for its example %#',
    (id, example, entry) => {
      const explanation = explainError(example);
      expect(explanation.recognised).toBe(true);
      expect(explanation.matches[0]?.id).toBe(id);
      expect(explanation.matches[0]?.stage).toBe(entry.stage);
    }
  );
});

// Exact texts users reported (docs/research/common-failures.md), with the stage the doctor confirms them in.
// 'non-diagnostic' means the text hides the cause: the answer is the full staged check.
const FIELD_FAILURES: ReadonlyArray<[string, string, StageId | 'non-diagnostic']> = [
  [
    'worker, refused (macOS)',
    'TransportError: tonic::transport::Error(Transport, hyper::Error(Connect, ConnectError("tcp connect error", Os { code: 61, kind: ConnectionRefused, message: "Connection refused" })))',
    'tcp',
  ],
  [
    'worker, refused (application variable unset)',
    'RuntimeError: Failed client connect: Server connection error: tonic::transport::Error(Transport, ConnectError(ConnectError("tcp connect error", 127.0.0.1:7233, Os { code: 111, kind: ConnectionRefused ...',
    'tcp',
  ],
  [
    'worker, address not available in a container',
    'TransportError: ... ConnectError("tcp connect error", Os { code: 99, kind: AddrNotAvailable, message: "Cannot assign requested address" })',
    'tcp',
  ],
  [
    'worker, server down: GetSystemInfo timeout',
    'TransportError: Failed to call GetSystemInfo: status: Cancelled, message: "Timeout expired", details: [], metadata: MetadataMap { headers: {} }',
    'tcp',
  ],
  [
    'worker, DNS lookup failed',
    'TransportError: tonic::transport::Error(Transport, hyper::Error(Connect, ConnectError("dns error", Custom { kind: Uncategorized, error: "failed to lookup address information: nodename nor servname provided, or not known" })))',
    'dns',
  ],
  [
    'address with a scheme',
    "TypeError: Invalid address for Temporal gRPC endpoint: expected URI of the form 'hostname' or 'hostname:port'; got '...'",
    'endpoint',
  ],
  [
    'worker, unknown issuer (older text)',
    'TransportError: tonic::transport::Error(Transport, hyper::Error(Connect, Custom { kind: InvalidData, error: InvalidCertificateData("invalid peer certificate: UnknownIssuer") }))',
    'tls',
  ],
  [
    'worker, unknown issuer behind a gateway',
    'Connection failed: Server connection error: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidCertificate(UnknownIssuer) }))',
    'tls',
  ],
  [
    'worker, unknown issuer after an upgrade',
    'Failed client connect: Server connection error: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidCertificate(UnknownIssuer) }))',
    'tls',
  ],
  [
    'Go, unknown authority',
    'failed reaching server: connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority"',
    'tls',
  ],
  [
    'worker, unknown issuer (2021 text)',
    '[TransportError: transport error: error trying to connect: invalid certificate: UnknownIssuer]',
    'tls',
  ],
  ['rustls, name mismatch', 'InvalidCertificate(NotValidForName)', 'tls'],
  ['rustls, name mismatch (short)', 'NotValidForName', 'tls'],
  ['rustls, X.509 v1 certificate', 'invalid peer certificate: Other(UnsupportedCertVersion)', 'tls'],
  ['rustls, CA:TRUE leaf', 'InvalidCertificate(Other(CaUsedAsEndEntity))', 'tls'],
  ['Go, CN-only certificate', 'x509: certificate relies on legacy Common Name field, use SANs instead', 'tls'],
  [
    'Go, SHA-1 signature',
    'x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm SHA1-RSA ...")',
    'tls',
  ],
  ['CLI, empty reset error', 'Error: reset failed:', 'non-diagnostic'],
  [
    'Go, reset reading the preface',
    'failed reaching server: last connection error: connection error: desc = "error reading server preface: read tcp ...:7233: read: connection reset by peer"',
    'tls',
  ],
  [
    'Go, expired client certificate',
    'Failed to create SDK client {"error": "failed reaching server: last connection error: connection closed before server preface received"}',
    'pem',
  ],
  [
    'OpenSSL, verify failed',
    'Handshake failed with fatal error SSL_ERROR_SSL: error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED.',
    'tls',
  ],
  [
    'Core, reset at GetSystemInfo',
    '`get_system_info` `Status { code: Unknown, message: "transport error", source: ... hyper::Error(Io, Kind(ConnectionReset)) }`',
    'tls',
  ],
  [
    'worker, certificate parse error',
    'Failed client connect: Server connection error: tonic::transport::Error(Transport, CertificateParseError)',
    'pem',
  ],
  [
    'Go, PEM inputs switched',
    'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched',
    'pem',
  ],
  ['Go, key does not match', 'tls: private key does not match public key', 'pem'],
  ['Go, unparseable key', 'tls: failed to parse private key', 'pem'],
  [
    'Go, API key with TLS off',
    'failed reaching server: last connection error: connection error: desc = "error reading server preface: read tcp 10.0.0.114:54595->18.221.164.238:7233: read: connection reset by peer"',
    'tls',
  ],
  [
    'Go, certificate required on the namespace endpoint',
    'failed to create Temporal client connection: failed reaching server: connection error: desc = "error reading server preface: remote error: tls: certificate required"',
    'tls',
  ],
  [
    'Go, TLS to a plaintext server',
    '`context canceled` (underlying `tls: first record does not look like a TLS handshake`)',
    'tls',
  ],
  ['rustls, TLS to a plaintext server', 'received corrupt message of type InvalidContentType', 'tls'],
  ['API key on another region', 'Request unauthorized', 'namespace'],
  [
    'worker heartbeat, permission denied',
    'Network error while sending worker heartbeat Status { code: PermissionDenied, message: "Request unauthorized.", details: ... temporal.api.errordetails.v1.PermissionDeniedFailure ... caller has insufficient permissions for namespace \'<REDACTED>\' ...',
    'namespace',
  ],
  ['ListNamespaces refused', 'failed to list namespaces: Request unauthorized', 'namespace'],
  [
    'Go, plaintext to a TLS server',
    'failed reaching server: last connection error: connection error: desc = "error reading server preface: EOF"',
    'tls',
  ],
  [
    'tonic, HTTP/1.1 peer',
    'h2 protocol error: http2 error: connection error detected: frame with invalid size',
    'grpc',
  ],
  ['h2, HTTP/1.1 peer', 'protocol error: frame with invalid size', 'grpc'],
  ['Java, HTTP/1.1 peer', 'INTERNAL: http2 exception ... First received frame was not SETTINGS', 'grpc'],
  [
    'grpc-go, no ALPN',
    'transport: authentication handshake failed: credentials: cannot check peer: missing selected ALPN property',
    'tls',
  ],
  ['gRPC C-core, no ALPN', 'Cannot check peer: missing selected ALPN property', 'tls'],
  [
    'tonic, proxy answered 502',
    'protocol error: received message with invalid compression flag: 60 ... while receiving response with status: 502 Bad Gateway',
    'grpc',
  ],
  [
    'Core, proxy answered 503',
    '`get_system_info` call error after connection: Status { code: PermissionDenied, message: "encountered c2c service api error response 503" }',
    'grpc',
  ],
  ['Go, no preface in time', 'last connection error: failed to receive server preface within timeout', 'tcp'],
  ['Go, bare deadline', 'context deadline exceeded', 'non-diagnostic'],
  ['Go, resolver found no addresses', 'last resolver error: produced zero addresses', 'dns'],
  ['namespace not registered', 'Namespace default is not found.', 'namespace'],
  ['Go, deadline', 'failed reaching server: context deadline exceeded', 'non-diagnostic'],
  [
    'Client, deadline at GetSystemInfo',
    'ServiceError: Failed to connect to Temporal server caused by 4 DEADLINE_EXCEEDED: Deadline exceeded',
    'non-diagnostic',
  ],
  ['Client, deadline at connect', 'Failed to connect before the deadline', 'non-diagnostic'],
  ['Go, bad certificate alert', 'remote error: tls: bad certificate', 'tls'],
  ['rustls, bad certificate alert', 'AlertReceived(BadCertificate)', 'tls'],
  ['rustls, bad certificate alert (text)', 'received fatal alert: BadCertificate', 'tls'],
  [
    'server: reset reading the preface',
    'error reading server preface: read tcp ...: read: connection reset by peer',
    'tls',
  ],
  [
    'server: reset reading the preface, Windows wording',
    'Error: failed reaching server: last connection error: connection error: desc = "error reading server preface: read tcp 10.1.1.1:5->10.2.2.2:7233: wsarecv: An existing connection was forcibly closed by the remote host."',
    'tls',
  ],
  ['server: certificate required alert', 'remote error: tls: certificate required', 'tls'],
  [
    'server: closed before the preface',
    'last connection error: connection closed before server preface received',
    'pem',
  ],
  [
    'server: permission denied with details',
    'PermissionDenied / Request unauthorized. plus errordetails.v1.PermissionDeniedFailure ("caller has insufficient permissions for namespace \'<ns>\'")',
    'namespace',
  ],
  ['server: namespace not found', 'Namespace X is not found.', 'namespace'],
];

describe('explainError on texts users reported', () => {
  it.each(FIELD_FAILURES)('%s: %s → %s', (_case, text, expected) => {
    const explanation = explainError(text);
    expect(explanation.recognised).toBe(true);
    if (expected === 'non-diagnostic') {
      expect(explanation.matches[0]?.nonDiagnostic).toBe(true);
      expect(explanation.stage).toBeUndefined();
      expect(explanation.command).toBe(FULL_CHECK);
      expect(explanation.nextStep).toMatch(/non-diagnostic/);
    } else {
      expect(explanation.stage).toBe(expected);
      expect(explanation.matches[0]?.stage).toBe(expected);
      expect(explanation.command).toMatch(new RegExp(`--only ${expected}$`));
    }
  });
});

// Exact texts each SDK stack printed for one failure (docs/research/sdk-stacks.md), not covered above.
const SDK_MATRIX: ReadonlyArray<[string, string, StageId, string]> = [
  [
    'Client, no client certificate',
    '14 UNAVAILABLE: No connection established. Last error: <hex>:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 116 ↵  (<time>). Resolution note:',
    'tls',
    'openssl-certificate-required',
  ],
  [
    'Client, TLS to a plaintext server',
    '14 UNAVAILABLE: No connection established. Last error: Error: <hex>:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350: ↵ . Resolution note:',
    'tls',
    'openssl-wrong-version-number',
  ],
  [
    'Client, wrong server name override',
    "14 UNAVAILABLE: No connection established. Last error: Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: Host: wrong.example. is not in the cert's altnames: DNS:localhost. Resolution note:",
    'tls',
    'openssl-hostname-mismatch',
  ],
  [
    'Worker, IP address not in the SANs',
    'TransportError: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidCertificate(NotValidForNameContext { expected: IpAddress(V4(Ipv4Addr([127, 0, 0, 1]))), presented: ["DnsName(\\"localhost\\")"] }) }))',
    'tls',
    'worker-tls-not-valid-for-name',
  ],
  [
    'Client, certificate and key swapped',
    'Error [ERR_OSSL_PEM_NO_START_LINE]: error:0480006C:PEM routines::no start line',
    'pem',
    'openssl-pem-no-start-line',
  ],
  [
    'Client, certificate missing its END line',
    'Error [ERR_OSSL_PEM_BAD_END_LINE]: error:04800066:PEM routines::bad end line',
    'pem',
    'openssl-pem-bad-end-line',
  ],
  [
    'Client, key missing its END line',
    'Error [ERR_OSSL_UNSUPPORTED]: error:1E08010C:DECODER routines::unsupported',
    'pem',
    'openssl-decoder-unsupported',
  ],
  [
    'Worker, CA certificate as client certificate',
    'TransportError: tonic::transport::Error(Transport, InconsistentKeys(KeyMismatch))',
    'pem',
    'worker-key-mismatch',
  ],
  [
    'Worker, dead proxy with a backtrace',
    'TransportError: tonic::transport::Error(Transport, ConnectError(client error (Connect)\n\nCaused by:\n    Connection refused (os error 111)\n\nStack backtrace:\n   0: <anyhow::Error as core::convert::From<hyper_util::client::legacy::client::Error>>::from\n   1: <tonic::transport::channel::service::connector::Conne',
    'tcp',
    'worker-proxy-failed',
  ],
  [
    'Client, dead proxy',
    'E Failed to connect to proxy 127.0.0.1:<port> with error connect ECONNREFUSED',
    'tcp',
    'client-proxy-failed',
  ],
  ['Worker, namespace not found', 'Namespace my-ns is not found.', 'namespace', 'server-namespace-not-found'],
  [
    'Client, unauthenticated at connect',
    'ServiceError: Failed to connect to Temporal server ← cause Error [16 UNAUTHENTICATED]: 16 UNAUTHENTICATED: Request unauthenticated.',
    'grpc',
    'server-unauthenticated',
  ],
  [
    'Worker, permission denied at connect',
    'TransportError: Failed to call GetSystemInfo: code: \'The caller does not have permission to execute the specified operation\', message: "Request unauthorized."',
    'grpc',
    'worker-system-info-permission-denied',
  ],
  [
    'Worker, GetSystemInfo never answered',
    'TransportError: Failed to call GetSystemInfo: code: \'The operation was cancelled\', message: "Timeout expired", source: tonic::transport::Error(Transport, TimeoutExpired(()))',
    'tcp',
    'worker-system-info-timeout',
  ],
];

describe('explainError on texts measured per SDK stack', () => {
  it.each(SDK_MATRIX.map(([what, text, stage, id]) => [what, id, stage, text] as const))(
    '%s: %s at the %s stage',
    (_what, id, stage, text) => {
      const explanation = explainError(text);
      expect(explanation.matches[0]?.id).toBe(id);
      expect(explanation.stage).toBe(stage);
    }
  );
});

// The same worker scenario prints any of these from run to run; all are one family
// (docs/research/sdk-stacks.md#worker-texts-that-vary-between-runs).
const PREFIX = 'TransportError: Failed to call GetSystemInfo: ';
const DROPPED_VARIANTS = [
  `code: 'Unknown error', message: "transport error", source: tonic::transport::Error(Transport, hyper::Error(Io, Kind(ConnectionReset)))`,
  `code: 'Unknown error', message: "transport error", source: tonic::transport::Error(Transport, hyper::Error(Io, Custom { kind: BrokenPipe, error: "stream closed because of a broken pipe" }))`,
  `code: 'The operation was cancelled', message: "operation was canceled", source: tonic::transport::Error(Transport, hyper::Error(Canceled, "connection closed"))`,
  `code: 'The operation was cancelled', message: "operation was canceled", source: tonic::transport::Error(Transport, hyper::Error(Canceled, "connection was not ready"))`,
  `code: 'Unknown error', message: "transport error", source: tonic::transport::Error(Transport, hyper::Error(Io, Custom { kind: UnexpectedEof, error: "peer closed connection without sending TLS close_notify: https://docs.rs/rustls/latest/rustls/manual/_03_howto/index.html#unexpected-eof" }))`,
];

describe('explainError on run-to-run worker variants', () => {
  it.each(DROPPED_VARIANTS)('classifies the dropped-connection variant %# as the same family', (variant) => {
    const explanation = explainError(PREFIX + variant);
    expect(explanation.matches[0]?.id).toBe('worker-connection-dropped');
    expect(explanation.stage).toBe('tls');
    expect(explanation.stack).toBe('worker');
    expect(explanation.matches.map((match) => match.id)).toContain('worker-get-system-info-failed');
  });

  it('ranks the named CertificateRequired alert above the family it varies with', () => {
    const text = `${PREFIX}code: 'Unknown error', message: "transport error", source: tonic::transport::Error(Transport, hyper::Error(Io, Custom { kind: InvalidData, error: "received fatal alert: CertificateRequired" }))`;
    const explanation = explainError(text);
    expect(explanation.matches[0]?.id).toBe('worker-tls-certificate-required');
    expect(explanation.command).toBe(
      `${FULL_CHECK} --tls-cert-path <client cert PEM> --tls-key-path <client key PEM> --stack worker --only tls`
    );
  });

  it('classifies the GoAway variant as a peer that is not an HTTP/2 server', () => {
    const text = `${PREFIX}code: 'Unknown error', message: "h2 protocol error: http2 error", source: tonic::transport::Error(Transport, hyper::Error(Http2, Error { kind: GoAway(b"", FRAME_SIZE_ERROR, Library) }))`;
    expect(explainError(text).matches[0]?.id).toBe('worker-not-http2-server');
  });
});

describe('explainError ranking, stack and command', () => {
  it('keeps every match, the specific reason first and the wrappers after it', () => {
    const ids = explainError(
      'Failed client connect: Server connection error: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidCertificate(UnknownIssuer) }))'
    ).matches.map((match) => match.id);
    expect(ids[0]).toBe('worker-tls-unknown-issuer');
    expect(ids).toContain('worker-transport-error');
    expect(ids.indexOf('worker-transport-error')).toBeGreaterThan(0);
  });

  it('ranks a server status above the wrapper that carries it', () => {
    const explanation = explainError(
      'ServiceError: Failed to connect to Temporal server ← cause Error [7 PERMISSION_DENIED]: 7 PERMISSION_DENIED: Request unauthorized.'
    );
    expect(explanation.matches.map((match) => match.id)).toEqual([
      'client-connect-permission-denied',
      'server-permission-denied',
      'client-connect-failed',
    ]);
    expect(explanation.stack).toBe('client');
  });

  it('says plainly that "Failed to connect before the deadline" is non-diagnostic and recommends the full check', () => {
    const explanation = explainError('Error: Failed to connect before the deadline');
    expect(explanation).toMatchObject({ recognised: true, stack: 'client', command: FULL_CHECK });
    expect(explanation.stage).toBeUndefined();
    expect(explanation.matches[0]?.title).toMatch(/hides the cause/);
    expect(explanation.nextStep).toMatch(/non-diagnostic.*full staged check/);
  });

  it('infers the stack from the text', () => {
    expect(explainError('x509: certificate signed by unknown authority').stack).toBe('go-sdk-or-cli');
    expect(explainError('TransportError: tonic::transport::Error(Transport, PrivateKeyParseError)').stack).toBe(
      'worker'
    );
    expect(explainError('14 UNAVAILABLE: Name resolution failed for target dns:something.invalid:7233').stack).toBe(
      'client'
    );
    expect(explainError('Namespace default is not found.').stack).toBe('server');
    expect(explainError('Error: Cannot specify both client_cert_path and client_cert_data').stack).toBe('unknown');
  });

  it('builds the confirming command from the best match, its flags and the stack', () => {
    expect(explainError('InvalidCertificate(UnknownIssuer)').command).toBe(
      `${FULL_CHECK} --tls-ca-path <server CA PEM> --stack worker --only tls`
    );
    expect(explainError('x509: certificate signed by unknown authority').command).toBe(
      `${FULL_CHECK} --tls-ca-path <server CA PEM> --only tls`
    );
    expect(explainError('ld-linux-x86-64.so.2').command).toBe(`${FULL_CHECK} --stack worker --only config`);
  });

  it('names the stage and the most likely cause in the next step', () => {
    const { nextStep } = explainError('tcp connect error ConnectionRefused');
    expect(nextStep).toMatch(
      /^Run the command above to confirm it at the tcp stage; most likely: The server is not running/
    );
  });

  it('treats unknown text as unrecognised with the generic full check', () => {
    for (const text of ['', '   ', 'segmentation fault (core dumped)', 'the coffee machine is empty']) {
      const explanation = explainError(text);
      expect(explanation).toEqual({
        recognised: false,
        matches: [],
        stack: 'unknown',
        command: FULL_CHECK,
        nextStep: expect.stringMatching(/not in the catalog.*full staged check/),
      });
    }
  });

  it('never echoes the pasted text into titles or causes', () => {
    const canary = 'CANARY-sk-live-0123456789';
    const explanation = explainError(`Metadata string value "Bearer ${canary}\n" contains illegal characters`);
    expect(explanation.recognised).toBe(true);
    expect(JSON.stringify(explanation)).not.toContain(canary);
  });

  it('returns the unrecognised answer for a non-string input instead of throwing', () => {
    expect(explainError(undefined as unknown as string).recognised).toBe(false);
    expect(
      explainError({
        toString: () => {
          throw new Error('no');
        },
      } as unknown as string).recognised
    ).toBe(false);
  });

  it('only reads the first part of a huge paste, and stays fast', () => {
    const hostile = 'Failed to call GetSystemInfo: tcp connect error Namespace x '.repeat(200_000);
    const started = performance.now();
    const explanation = explainError(hostile);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(explanation.recognised).toBe(true);
    const late = `${'x'.repeat(MAX_EXPLAINED_CHARS)} InvalidCertificate(UnknownIssuer)`;
    expect(explainError(late).recognised).toBe(false);
  });
});

describe('explainError on arbitrary input', () => {
  const fragments = KNOWN_ERRORS.flatMap((entry) => entry.examples).map((example) => example.slice(0, 60));
  const anyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.string({ unit: 'grapheme', maxLength: 400 }),
    fc
      .array(fc.oneof(fc.constantFrom(...fragments), fc.string({ unit: 'binary-ascii', maxLength: 20 })), {
        maxLength: 12,
      })
      .map((parts) => parts.join('')),
    fc
      .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), fc.integer({ min: 1_000, max: 40_000 }))
      .map(([piece, times]) => piece.repeat(times))
  );

  it('never throws and always answers with a temporal-doctor command', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const explanation = explainError(text);
        expect(explanation.command.startsWith('temporal-doctor')).toBe(true);
        expect(explanation.recognised).toBe(explanation.matches.length > 0);
        expect(typeof explanation.nextStep).toBe('string');
        if (explanation.stage !== undefined) expect(PUBLIC_STAGES).toContain(explanation.stage);
      }),
      { numRuns: 1000 }
    );
  });
});
