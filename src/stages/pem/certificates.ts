// What the parsed certificates and key say: subject, issuer, validity, and the properties one of the SDK stacks
// rejects (lint), each with the advice that fits.
import type { X509Certificate } from 'node:crypto';
import type { CheckResult } from '../../pipeline/types.js';
import { evidence, fail, pass, warn } from '../../pipeline/check.js';
import type { PemSlot } from '../../knowledge/pem-text.js';
import {
  describeKey,
  isSelfSigned,
  lintCertificate,
  oneLineName,
  summarizeCertificate,
  type CertRule,
} from '../../knowledge/x509.js';

import { SLOT_NAME, type LoadedSlot } from './slot.js';

export function parsedChecks(loaded: LoadedSlot, now: Date, warnDays: number): CheckResult[] {
  const { slot, setting, analysis } = loaded;
  const name = setting.source.name;
  if (slot === 'client-key') {
    if (!analysis.key) return [];
    return [
      pass('pem.client-key.parsed', `Client key is ${describeKey(analysis.key, analysis.keyLabel)}`, {
        evidence: evidence({ setting: name, from: loaded.origin, key: describeKey(analysis.key, analysis.keyLabel) }),
      }),
    ];
  }
  const certs = analysis.certs;
  if (certs.length === 0) return [];
  const checks: CheckResult[] = [];
  if (slot === 'client-cert') {
    const leaf = certs[0] as X509Certificate;
    const s = summarizeCertificate(leaf);
    checks.push(
      pass(
        'pem.client-cert.parsed',
        `Client certificate ${s.subject}, issued by ${s.issuer}, valid until ${s.validTo}`,
        {
          evidence: [
            ...evidence({ setting: name, from: loaded.origin }),
            ...certificateEvidence(leaf),
            ...evidence({ 'chain length': certs.length > 1 ? certs.length : undefined }),
          ],
        }
      )
    );
    checks.push(...lintChecks(slot, name, leaf, 'client', now, warnDays));
    return checks;
  }

  checks.push(
    pass(
      'pem.server-ca.parsed',
      `Server CA file holds ${certs.length} certificate${certs.length === 1 ? '' : 's'}: ${certs.map((c) => oneLineName(c.subject)).join('; ')}`,
      {
        evidence: [
          ...evidence({ setting: name, from: loaded.origin }),
          ...certs.flatMap((c, i) => certificateEvidence(c, certs.length > 1 ? `certificate ${i + 1} ` : '')),
        ],
      }
    )
  );
  // A trust anchor must be a CA or a self-signed (pinned) certificate; a leaf issued by someone else never verifies (docs/research/sdk-stacks.md#pem-damage).
  if (!certs.some((c) => c.ca || isSelfSigned(c))) {
    const leaf = certs[0] as X509Certificate;
    checks.push(
      fail(
        'pem.server-ca.not-a-ca',
        `Server CA setting ${name} holds a leaf certificate (${oneLineName(leaf.subject)}), not the CA that issued it`,
        {
          evidence: [...evidence({ setting: name }), ...certificateEvidence(leaf)],
          fix: `Point ${name} at the certificate of the CA that issued the server's certificate (${oneLineName(leaf.issuer)}), not at a server certificate.`,
        }
      )
    );
  }
  for (const cert of certs) checks.push(...lintChecks(slot, name, cert, 'ca', now, warnDays, certs.length > 1));
  return checks;
}

function lintChecks(
  slot: PemSlot,
  name: string,
  cert: X509Certificate,
  role: 'client' | 'ca',
  now: Date,
  warnDays: number,
  nameIt = false
): CheckResult[] {
  const who = `${SLOT_NAME[slot]}${nameIt ? ` ${oneLineName(cert.subject)}` : ''}`;
  return lintCertificate(cert, role, now, warnDays).map((finding) => {
    const id = `pem.${slot}.${finding.rule}`;
    const message = `${who} ${finding.problem}`;
    const details = {
      evidence: [...evidence({ setting: name }), ...certificateEvidence(cert), ...evidence({ now: now.toISOString() })],
      fix: `${CERT_ADVICE[finding.rule](name)} (${finding.why}).`,
    };
    return finding.status === 'fail' ? fail(id, message, details) : warn(id, message, details);
  });
}

const CERT_ADVICE: Record<CertRule, (name: string) => string> = {
  expired: (n) => `Issue a new certificate and point ${n} at it`,
  'not-yet-valid': (n) =>
    `Check this machine's clock (NTP), or wait for the certificate's start date before using ${n}`,
  expiring: (n) => `Issue a new certificate soon and point ${n} at it`,
  v1: (n) => `Reissue it as an X.509 v3 certificate and point ${n} at it`,
  sha1: (n) => `Reissue it signed with SHA-256 and point ${n} at it`,
  'is-ca': (n) => `Point ${n} at the client's own leaf certificate, issued by the CA`,
  'no-client-auth': (n) => `Reissue it with extendedKeyUsage clientAuth and point ${n} at it`,
  'cn-only': (n) =>
    `Reissue the server certificate with its names in subjectAltName and point ${n} at the CA that issued it`,
};

export function certificateEvidence(cert: X509Certificate, prefix = ''): ReturnType<typeof evidence> {
  const s = summarizeCertificate(cert);
  return evidence({
    [`${prefix}subject`]: s.subject,
    [`${prefix}SANs`]: s.subjectAltNames.join(', ') || '(none)',
    [`${prefix}issuer`]: s.issuer,
    [`${prefix}valid from`]: s.validFrom,
    [`${prefix}valid to`]: s.validTo,
    [`${prefix}SHA-256`]: s.fingerprint256,
  });
}
