// The Worker's view of the server (Rust Core: tonic + rustls + webpki), judged without loading the Worker, as part of
// the tls stage (under its deadline) whenever the Worker is judged (--stack worker or both): the server chain and ALPN
// as Core sees them (no client certificate, ALPN h2: the stage's inspect handshake, or one more made here), then
// webpki's rules and the Worker's trust source decide. Works even when the tls stage failed for the Client: a private
// CA in SSL_CERT_FILE is untrusted by the Client and trusted by the Worker.
import { DEFAULT_CERT_LABEL } from './server-certificate.js';
import { isIP } from 'node:net';
import type { X509Certificate } from 'node:crypto';
import type { CheckResult } from '../../pipeline/types.js';
import { evidence, fail, pass, warn } from '../../pipeline/check.js';
import { probeTls } from '../../net/tls-probe.js';
import { oneLineName } from '../../knowledge/x509.js';
import { formatHostPort } from '../../text/host-port.js';
import { verifyChain, workerTrustSource, type TrustSource } from '../../knowledge/trust-store.js';
import { presentedNames, rustlsExpected, validForName, x509Version } from '../../knowledge/webpki-rules.js';
import type { Facts } from '../../facts.js';

export interface WorkerTlsView {
  checks: CheckResult[];
  /** Whether the Worker trusts the chain; undefined when it could not be judged. */
  trusted?: boolean;
}

const CA_FIX_SETTING = '--tls-ca-path (TEMPORAL_TLS_SERVER_CA_CERT_PATH)';

/** What the Worker view reads: the stage's inputs, its outcome so far, and the time it has left. */
export interface WorkerViewInput {
  facts: Partial<Facts>;
  env: Record<string, string | undefined>;
  signal: AbortSignal;
  timeoutMs: number;
}

/**
 * The tls stage's checks with the Worker's view added: when the stage saw a certificate (after a handshake timeout or a
 * plaintext answer another handshake would only wait out the same fault, which the stage already names for both
 * stacks). A tls warning that the Worker view judges itself (`tls.X` beside `tls.worker.X`) is said once, by the view.
 */
export async function withWorkerView(checks: CheckResult[], input: WorkerViewInput): Promise<CheckResult[]> {
  const sawCertificate = checks.some((c) => /^tls\.(server-chain|server-name)\./.test(c.id));
  if (!sawCertificate) return checks;
  const view = await judgeWorkerTls(input);
  if (!view.checks.length) return checks;
  const judged = new Set(view.checks.map((c) => c.id.replace(/^tls\.worker\./, 'tls.')));
  // The server sent its default certificate (it did not recognise the name): the Worker needs the same fix, not a
  // server name that would select another virtual host.
  const defaultCert = checks.find(
    (c) => c.id === 'tls.server-name.mismatch' && c.evidence.some((e) => e.label === DEFAULT_CERT_LABEL)
  );
  const viewChecks = defaultCert?.fix
    ? view.checks.map((c) => (c.id === 'tls.worker.server-name.mismatch' ? { ...c, fix: defaultCert.fix } : c))
    : view.checks;
  return [...checks.filter((c) => c.status !== 'warn' || !judged.has(c.id)), ...viewChecks];
}

/** Whether the Worker trusts the server chain, read from the tls stage's checks; undefined when not judged. */
export function workerTrusts(checks: readonly CheckResult[]): boolean | undefined {
  if (checks.some((c) => c.id === 'tls.worker.server-chain.trusted' && c.status === 'pass')) return true;
  if (checks.some((c) => c.id === 'tls.worker.server-chain.untrusted' && c.status === 'fail')) return false;
  return undefined;
}

/** The Worker's TLS checks, or no checks when TLS is off or nothing accepted a TCP connection. */
export async function judgeWorkerTls(input: WorkerViewInput): Promise<WorkerTlsView> {
  const { facts } = input;
  const { config, pem, endpoint, tcp } = facts;
  const target = tcp?.reachable[0];
  if (!config?.tls.value || !pem || !endpoint || !target) return { checks: [] };

  const where = formatHostPort(target.address, endpoint.port);
  const seen = await sessionAsCoreSeesIt(facts, target, endpoint, input);
  const chain = seen?.chain ?? [];
  const leaf = chain[0];
  if (!seen || !leaf) {
    // The tls stage names this handshake failure for both stacks; the Worker gets no further.
    return { checks: [] };
  }
  const caSetting = config.serverCa?.source.name;
  const trust = await workerTrustSource(
    {
      ...(pem.serverCaPem !== undefined ? { caPem: pem.serverCaPem } : {}),
      caCerts: pem.serverCaCerts,
      ...(caSetting ? { caSetting } : {}),
    },
    input.env,
    process.platform,
    input.signal
  );
  const checks: CheckResult[] = [];
  const trusted = trustCheck(checks, chain, trust, input.env);
  nameChecks(checks, leaf, endpoint.serverName, Boolean(config.serverName));
  profileChecks(checks, chain);
  if (seen.alpn === false) {
    checks.push(
      fail(
        'tls.worker.alpn.not-negotiated',
        `${where} negotiated no ALPN protocol: the Worker fails with H2NotNegotiated (the Client works without ALPN)`,
        {
          durationMs: seen.ms,
          evidence: evidence({
            offered: 'h2',
            negotiated: 'none',
            'the Worker would fail with': 'tonic::transport::Error(Transport, ConnectError(H2NotNegotiated))',
          }),
          fix: 'Configure the TLS terminator or load balancer in front of Temporal to negotiate ALPN h2 (HTTP/2); Core insists on it, as grpc-go >= 1.67 does.',
        }
      )
    );
  } else if (seen.alpn === 'h2') {
    checks.push(
      pass('tls.worker.alpn.h2', 'Server negotiated ALPN h2, as the Worker requires', { durationMs: seen.ms })
    );
  }
  return { checks, ...(trusted !== undefined ? { trusted } : {}) };
}

/**
 * The server's chain and ALPN answer on a handshake like Core's (no client certificate, ALPN h2, SNI unless the name is
 * an IP): the tls stage's inspect handshake when it passed, else one made here.
 */
async function sessionAsCoreSeesIt(
  facts: Partial<Facts>,
  target: { address: string; family: 4 | 6 },
  endpoint: NonNullable<Facts['endpoint']>,
  input: WorkerViewInput
): Promise<{ chain: X509Certificate[]; alpn: string | false; ms: number } | undefined> {
  if (facts.tls?.mode === 'tls' && facts.tls.sentChain?.length)
    return { chain: facts.tls.sentChain, alpn: facts.tls.alpn, ms: 0 };
  const probe = await probeTls({
    address: target.address,
    family: target.family,
    port: endpoint.port,
    verifyName: endpoint.serverName,
    ...(isIP(endpoint.serverName) ? {} : { servername: endpoint.serverName }),
    // The chain is judged below by webpki's rules against the Worker's own trust source: Node's verdict is not used,
    // so Node's root store (≈ 20 ms to build) is not loaded for it.
    ca: [],
    rejectUnauthorized: false,
    postHandshakeWaitMs: 0,
    timeoutMs: input.timeoutMs,
    signal: input.signal,
  });
  return probe.session ? { chain: probe.session.chain, alpn: probe.session.alpn, ms: probe.ms } : undefined;
}

function trustCheck(
  checks: CheckResult[],
  chain: X509Certificate[],
  trust: TrustSource,
  env: Record<string, string | undefined>
): boolean | undefined {
  const leaf = chain[0] as X509Certificate;
  const issuer = oneLineName(leaf.issuer);
  const clientOnlyVars = ['NODE_EXTRA_CA_CERTS', 'GRPC_DEFAULT_SSL_ROOTS_FILE_PATH'].filter((name) => env[name]);
  const context = evidence({
    'Worker trust source': trust.description,
    'roots in it': trust.kind === 'unreadable-platform-store' ? undefined : trust.roots.length,
    'server certificate': oneLineName(leaf.subject),
    issuer,
    problems: trust.problems.join('; ') || undefined,
    'ignored by the Worker':
      trust.kind === 'configured-ca'
        ? undefined
        : clientOnlyVars.map((name) => `${name}=${env[name]}`).join(', ') || undefined,
  });
  if (trust.kind === 'unreadable-platform-store') {
    checks.push(
      warn(
        'tls.worker.server-chain.inconclusive',
        `The Worker trusts ${trust.description}, which the doctor cannot read: whether it trusts ${issuer} is not known`,
        {
          evidence: context,
          fix: `If the Worker fails with InvalidCertificate(UnknownIssuer), set ${CA_FIX_SETTING} to the CA that issued the server certificate (${issuer}), or point SSL_CERT_FILE at a bundle holding it.`,
        }
      )
    );
    return undefined;
  }
  const verdict = verifyChain(chain, trust.roots);
  if (verdict.trusted) {
    checks.push(
      pass(
        'tls.worker.server-chain.trusted',
        `The Worker trusts the server certificate: it chains to ${verdict.anchor ? oneLineName(verdict.anchor.subject) : issuer} in ${trust.description}`,
        {
          evidence: context,
        }
      )
    );
    return true;
  }
  const fixes: Record<TrustSource['kind'], string> = {
    'configured-ca': `Point ${trust.description.replace(/^the CA from (\S+).*$/, '$1')} at the CA that issued the server certificate (${issuer}): the Worker trusts only that file, not the OS store.`,
    env: `Add the CA that issued the server certificate (${issuer}) to the bundle the Worker reads (${trust.description}), or set ${CA_FIX_SETTING} to it.`,
    'os-bundle': `The Worker trusts the OS store, not Node's bundled roots or NODE_EXTRA_CA_CERTS: set ${CA_FIX_SETTING} to the CA that issued the server certificate (${issuer}), or add it to the OS store (update-ca-certificates) or to a bundle named by SSL_CERT_FILE.`,
    'none-found': `This machine has no OS CA bundle (a slim or distroless image): install ca-certificates in the image, or set ${CA_FIX_SETTING} to the CA that issued the server certificate (${issuer}).`,
    'unreadable-platform-store': '',
  };
  checks.push(
    fail(
      'tls.worker.server-chain.untrusted',
      `The Worker will not trust the server certificate (UnknownIssuer): issued by ${issuer}, which is not in ${trust.description}`,
      {
        evidence: [...context, ...evidence({ 'the Worker would fail with': 'InvalidCertificate(UnknownIssuer)' })],
        fix: fixes[trust.kind],
      }
    )
  );
  return false;
}

function nameChecks(checks: CheckResult[], leaf: X509Certificate, serverName: string, overridden: boolean): void {
  const names = presentedNames(leaf);
  const presented = [...names.dns.map((n) => `DNS:${n}`), ...names.ip.map((n) => `IP:${n}`)];
  const subject = oneLineName(leaf.subject);
  const expected = rustlsExpected(serverName);
  if (!leaf.subjectAltName) {
    checks.push(
      fail(
        'tls.worker.server-cert.cn-only',
        `Server certificate ${subject} has no subjectAltName: the Worker fails with NotValidForName (presented: []), although the Client accepts the CN`,
        {
          evidence: evidence({
            subject,
            'server name': serverName,
            'the Worker would fail with': `InvalidCertificate(NotValidForNameContext { expected: ${expected}, presented: [] })`,
          }),
          fix: `Have the server certificate reissued with ${serverName} in its subjectAltName (${isIP(serverName) ? 'IP:' : 'DNS:'}${serverName}); rustls never reads the CN, and neither do Go clients.`,
        }
      )
    );
    return;
  }
  if (validForName(names, serverName)) {
    checks.push(
      pass(
        'tls.worker.server-name.matches',
        `Server certificate names ${serverName} in its subjectAltName, as the Worker requires`,
        { evidence: evidence({ 'certificate names': presented.join(', ') }) }
      )
    );
    return;
  }
  const ipOnlyMismatch = isIP(serverName) && names.ip.length === 0;
  checks.push(
    fail(
      'tls.worker.server-name.mismatch',
      `Server certificate is not valid for ${serverName} on the Worker: it presents ${presented.join(', ') || 'no usable names'}`,
      {
        evidence: evidence({
          'server name': serverName,
          'certificate names': presented.join(', ') || '(none)',
          'the Worker would fail with': `NotValidForNameContext { expected: ${expected}, ... }`,
        }),
        fix: ipOnlyMismatch
          ? `The address is an IP, and the certificate has no IP subjectAltName: connect by one of its DNS names, or set --tls-server-name (TEMPORAL_TLS_SERVER_NAME) to ${names.dns[0] ?? 'a name it carries'}.`
          : `${overridden ? 'Change' : 'Set'} --tls-server-name (TEMPORAL_TLS_SERVER_NAME) to a name the certificate carries${names.dns[0] ? ` (for example ${names.dns[0]})` : ''}, or have the certificate reissued with ${serverName} in its subjectAltName.`,
      }
    )
  );
}

function profileChecks(checks: CheckResult[], chain: X509Certificate[]): void {
  const leaf = chain[0] as X509Certificate;
  const subject = oneLineName(leaf.subject);
  if (leaf.ca) {
    checks.push(
      fail(
        'tls.worker.server-cert.ca-as-leaf',
        `Server certificate ${subject} is a CA certificate (basicConstraints CA:TRUE): the Worker fails with CaUsedAsEndEntity`,
        {
          evidence: evidence({
            subject,
            'the Worker would fail with': 'InvalidCertificate(Other(OtherError(CaUsedAsEndEntity)))',
          }),
          fix: 'Issue the server a leaf certificate with basicConstraints CA:FALSE (openssl req -x509 makes CA:TRUE by default; add -addext basicConstraints=critical,CA:FALSE), signed by a CA you configure as the server CA.',
        }
      )
    );
  }
  const old = chain.filter((cert) => x509Version(cert) !== 3 && !isSelfIssuedRoot(cert, chain));
  for (const cert of old) {
    checks.push(
      fail(
        'tls.worker.server-cert.v1',
        `Certificate ${oneLineName(cert.subject)} in the server chain is X.509 v${x509Version(cert)}: the Worker fails with UnsupportedCertVersion`,
        {
          evidence: evidence({
            subject: oneLineName(cert.subject),
            version: `v${x509Version(cert)}`,
            'the Worker would fail with': 'InvalidCertificate(Other(OtherError(UnsupportedCertVersion)))',
          }),
          fix: 'Reissue the certificate as X.509 v3 with a subjectAltName (old openssl x509 -req recipes without -extfile make v1 certificates).',
        }
      )
    );
  }
}

/** A self-signed root sent in the chain is only a trust anchor to webpki; its version is never checked. */
function isSelfIssuedRoot(cert: X509Certificate, chain: X509Certificate[]): boolean {
  return cert !== chain[0] && cert.subject === cert.issuer;
}
