// What the server presented: chain trust (and whether a configured CA replaced the public roots), name, expiry, the
// certificate shapes only the Client accepts, and ALPN.
import type { Evidence } from '../../pipeline/types.js';
import { evidence, fail, pass, warn } from '../../pipeline/check.js';
import { settingRef } from '../../config/setting-names.js';
import type { TlsProbeResult, TlsSession } from '../../net/tls-probe.js';
import { UNTRUSTED_CHAIN_CODES } from '../../net/tls-alerts.js';
import { isoDate, oneLineName } from '../../knowledge/x509.js';
import { type TlsRun, probeEvidence, sanList, chainEvidenceOf } from './session.js';

/** Returns whether the chain is trusted. */
export async function chainChecks(run: TlsRun, probe: TlsProbeResult, session: TlsSession): Promise<boolean> {
  const leaf = session.chain[0];
  const chainEvidence = [
    ...probeEvidence(run, probe, { protocol: session.protocol, cipher: session.cipher }),
    ...chainEvidenceOf(session.chain),
  ];
  if (session.authorized) {
    run.checks.push(
      pass(
        'tls.server-chain.trusted',
        `Server certificate ${leaf ? oneLineName(leaf.subject) : ''} chains to ${run.trust}; ${session.protocol} handshake in ${probe.handshakeMs} ms`,
        {
          durationMs: probe.ms,
          evidence: chainEvidence,
        }
      )
    );
    return true;
  }
  const code = session.authorizationError ?? 'UNKNOWN';
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    const expired = code === 'CERT_HAS_EXPIRED';
    const cert =
      session.chain.find((c) => (expired ? new Date(c.validTo) < run.now : new Date(c.validFrom) > run.now)) ?? leaf;
    run.checks.push(
      fail(
        expired ? 'tls.server-cert.expired' : 'tls.server-cert.not-yet-valid',
        expired
          ? `Server certificate ${cert ? oneLineName(cert.subject) : ''} expired on ${cert ? isoDate(cert.validTo) : 'an earlier date'}`
          : `Server certificate ${cert ? oneLineName(cert.subject) : ''} is not valid until ${cert ? isoDate(cert.validFrom) : 'a later date'}`,
        {
          durationMs: probe.ms,
          evidence: [...chainEvidence, ...evidence({ now: run.now.toISOString() })],
          cause: { name: 'Error', code, message: code },
          fix: expired
            ? 'The server operator must renew the server certificate (both SDK stacks refuse it); nothing on the client side fixes this.'
            : "Check this machine's clock (NTP); if the clock is right, the server certificate was issued for the future and must be reissued.",
        }
      )
    );
    return false;
  }
  if (UNTRUSTED_CHAIN_CODES.has(code)) {
    await untrusted(run, probe, session, code, chainEvidence);
    return false;
  }
  run.checks.push(
    fail('tls.server-chain.invalid', `Server certificate chain is invalid (${code})`, {
      durationMs: probe.ms,
      evidence: chainEvidence,
      cause: { name: 'Error', code, message: code },
      fix: 'The server sends a certificate chain that no client accepts (bad signature, wrong key usage or a broken intermediate): the server operator must fix the chain.',
    })
  );
  return false;
}

export async function untrusted(
  run: TlsRun,
  probe: TlsProbeResult,
  session: TlsSession,
  code: string,
  chainEvidence: Evidence[]
): Promise<void> {
  const leaf = session.chain[0];
  const issuer = leaf ? oneLineName(leaf.issuer) : 'unknown';
  const cause = { name: 'Error', code, message: code };
  if (run.pem.serverCaPem !== undefined && run.caName) {
    // A CA setting replaces the public roots (docs/research/common-failures.md#trust-mistakes): prove it with one more handshake on default roots.
    const publicRoots = await run.probe({ rejectUnauthorized: false }, false);
    if (publicRoots.session?.authorized) {
      run.checks.push(
        fail(
          'tls.server-chain.untrusted',
          `Server certificate chains to a public root, but ${run.caName} replaces the public roots with its own CA`,
          {
            durationMs: probe.ms + publicRoots.ms,
            evidence: [
              ...chainEvidence,
              ...evidence({
                'with default roots': `verifies (checked in ${publicRoots.ms} ms)`,
                'configured CA': caSubjects(run),
              }),
            ],
            cause,
            fix: `Remove ${run.caName}: this server's certificate is publicly trusted, and a server CA setting replaces the default roots instead of adding to them (the classic Temporal Cloud mistake: the CA that signs your client certificates is not the server's CA).`,
          }
        )
      );
      return;
    }
    run.checks.push(
      fail(
        'tls.server-chain.untrusted',
        `Server certificate (issued by ${issuer}) is not signed by the CA in ${run.caName}`,
        {
          durationMs: probe.ms + publicRoots.ms,
          evidence: [
            ...chainEvidence,
            ...evidence({ 'configured CA': caSubjects(run), 'with default roots': 'does not verify either' }),
          ],
          cause,
          fix: `Point ${run.caName} at the CA that issued the server certificate (${issuer}); the file given holds a different CA.`,
        }
      )
    );
    return;
  }
  run.checks.push(
    fail('tls.server-chain.untrusted', `Server certificate (issued by ${issuer}) does not chain to a trusted root`, {
      durationMs: probe.ms,
      evidence: chainEvidence,
      cause,
      fix: `The server uses a private or self-signed CA: set --tls-ca-path (or TEMPORAL_TLS_SERVER_CA_CERT_PATH) to the CA that issued it (${issuer}). If it is a public CA, this machine's trust store is missing it (install ca-certificates).`,
    })
  );
}

export function caSubjects(run: TlsRun): string {
  return run.pem.serverCaCerts.map((c) => oneLineName(c.subject)).join('; ') || 'unknown';
}

/** The SNI of the second look: `.invalid` is reserved (RFC 2606), so no server has a certificate chosen for it. */
export const UNKNOWN_SNI = 'no-such-host.invalid';
/** The evidence label that marks a mismatch as the server's default certificate. */
export const DEFAULT_CERT_LABEL = `with SNI ${UNKNOWN_SNI}`;

/** Returns whether the certificate is valid for the server name. */
export async function nameCheck(run: TlsRun, probe: TlsProbeResult, session: TlsSession): Promise<boolean> {
  const leaf = session.chain[0];
  const names = leaf ? sanList(leaf) : [];
  const verifyName = run.base.verifyName;
  if (!session.identityError) {
    run.checks.push(
      pass('tls.server-name.matches', `Server certificate is valid for ${verifyName}`, {
        durationMs: probe.ms,
        evidence: evidence({ 'server name': verifyName, 'certificate names': names.join(', ') || undefined }),
      })
    );
    return true;
  }
  const dnsNames = names
    .filter((n) => n.startsWith('DNS:'))
    .map((n) => n.slice(4))
    .filter((n) => !n.includes('*'));
  const serverNameSetting = settingRef(run.config.serverName, 'tlsServerName');
  const suggestion = dnsNames[0];
  const fallback = await defaultCertificate(run, session);
  const fix = fallback
    ? `The server has no certificate for ${verifyName}: it did not recognise the name sent (SNI) and presented its default certificate (${names.join(', ') || 'no names'}), the one it gives any name it does not know. The fix is on the server (a certificate and virtual host for ${verifyName}) or in the address (${settingRef(run.config.address, 'address')}${run.config.serverName ? ` and ${serverNameSetting}` : ''} pointing at the server that does serve ${verifyName}). Do not set ${serverNameSetting} to ${suggestion ?? 'a name on that certificate'}: that selects the server's other host, not yours.`
    : run.config.serverName
      ? `${serverNameSetting} is ${verifyName}, which the certificate does not name: set it to one of ${names.join(', ') || 'the names on the certificate'}${suggestion ? ` (for example ${suggestion})` : ''}.`
      : suggestion
        ? `Connect by a name on the certificate, or set ${serverNameSetting} to ${suggestion}${dnsNames.length > 1 ? ` (the certificate also names ${dnsNames.slice(1).join(', ')})` : ''}. Disabling host verification is not possible in the TypeScript SDK.`
        : `The certificate names ${names.join(', ') || 'nothing usable'}: have the server certificate reissued with ${verifyName} in its subjectAltName.`;
  run.checks.push(
    fail(
      'tls.server-name.mismatch',
      fallback
        ? `Server certificate is not valid for ${verifyName}; it names ${names.join(', ') || leaf?.subject || 'nothing'}: the server did not recognise ${verifyName} and sent its default certificate`
        : `Server certificate is not valid for ${verifyName}; it names ${names.join(', ') || leaf?.subject || 'nothing'}`,
      {
        durationMs: probe.ms + (fallback?.ms ?? 0),
        evidence: evidence({
          'server name': verifyName,
          'certificate names': names.join(', ') || '(none)',
          subject: leaf ? oneLineName(leaf.subject) : undefined,
          [DEFAULT_CERT_LABEL]: fallback
            ? 'the same certificate (SHA-256 equal): the default for names the server does not know'
            : undefined,
        }),
        cause: { name: 'Error', code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: session.identityError },
        fix,
      }
    )
  );
  return false;
}

/**
 * Whether the certificate is the server's default, the one a name it does not know gets: one more handshake with a
 * made-up SNI. An ingress with several virtual hosts (nginx's default server) sends it for any SNI it has no server
 * block for (docs/research/middleboxes.md#grpc-ingresses). Not for localhost or an IP address (no SNI, or a tunnel or
 * port-forward, where naming the certificate's host with the server name setting is the fix).
 */
async function defaultCertificate(run: TlsRun, session: TlsSession): Promise<{ ms: number } | undefined> {
  const leaf = session.chain[0];
  if (!leaf || !run.base.servername || run.endpoint.kind === 'localhost' || run.endpoint.kind === 'ip-literal')
    return undefined;
  const other = await run.probe(
    {
      ...(run.pem.serverCaPem !== undefined ? { ca: run.pem.serverCaPem } : {}),
      rejectUnauthorized: false,
      servername: UNKNOWN_SNI,
    },
    false
  );
  const otherLeaf = other.session?.chain[0];
  return otherLeaf && otherLeaf.fingerprint256 === leaf.fingerprint256 ? { ms: other.ms } : undefined;
}

/** Server certificates the Client accepts but the Worker (rustls/webpki) refuses (docs/research/sdk-stacks.md#where-the-stacks-disagree). */
export function workerDifferences(run: TlsRun, session: TlsSession): void {
  const leaf = session.chain[0];
  if (!leaf) return;
  if (!leaf.subjectAltName) {
    run.checks.push(
      warn(
        'tls.server-cert.cn-only',
        `Server certificate ${oneLineName(leaf.subject)} has no subjectAltName: the Client accepts it (CN fallback) but the Worker fails with NotValidForName`,
        {
          evidence: evidence({ subject: oneLineName(leaf.subject) }),
          fix: 'Have the server certificate reissued with the host name in subjectAltName (DNS:...); modern TLS stacks ignore the CN.',
        }
      )
    );
  }
  if (leaf.ca && session.chain.length === 1) {
    run.checks.push(
      warn(
        'tls.server-cert.ca-as-leaf',
        `Server certificate ${oneLineName(leaf.subject)} is a CA certificate (CA:TRUE) used as the server certificate: the Worker fails with CaUsedAsEndEntity`,
        {
          evidence: evidence({ subject: oneLineName(leaf.subject) }),
          fix: 'Issue the server a leaf certificate (basicConstraints CA:FALSE) from that CA instead of serving the CA certificate itself (openssl req -x509 makes CA:TRUE by default).',
        }
      )
    );
  }
  const daysLeft = Math.floor((new Date(leaf.validTo).getTime() - run.now.getTime()) / 86_400_000);
  if (daysLeft >= 0 && daysLeft < run.warnDays) {
    run.checks.push(
      warn(
        'tls.server-cert.expiring',
        `Server certificate ${oneLineName(leaf.subject)} expires in ${daysLeft} days (${isoDate(leaf.validTo)})`,
        {
          evidence: evidence({ 'valid to': isoDate(leaf.validTo), now: run.now.toISOString() }),
          fix: 'Ask the server operator to renew the server certificate before it expires; both SDK stacks refuse an expired one.',
        }
      )
    );
  }
}

export function alpnCheck(run: TlsRun, probe: TlsProbeResult, session: TlsSession): void {
  if (session.alpn === 'h2') {
    run.checks.push(
      pass('tls.alpn.h2', 'Server negotiated ALPN h2 (HTTP/2)', {
        durationMs: probe.ms,
        evidence: evidence({ ALPN: 'h2' }),
      })
    );
  } else if (session.alpn === false) {
    run.checks.push(
      warn(
        'tls.alpn.not-negotiated',
        'Server negotiated no ALPN protocol: the Client works, but the Worker fails with H2NotNegotiated',
        {
          durationMs: probe.ms,
          evidence: evidence({ offered: 'h2', negotiated: 'none' }),
          fix: 'Configure the TLS terminator or load balancer in front of Temporal to negotiate ALPN h2 (grpc-go >= 1.67 clients also require it).',
        }
      )
    );
  } else {
    run.checks.push(
      fail('tls.alpn.no-h2', `Server negotiated ALPN ${session.alpn}, not h2: gRPC needs HTTP/2`, {
        durationMs: probe.ms,
        evidence: evidence({ offered: 'h2', negotiated: session.alpn }),
        fix: 'Point the address at the gRPC port, or configure the TLS terminator in front of Temporal to offer h2.',
      })
    );
  }
}
