import { beforeAll, describe, expect, it } from '@jest/globals';
import 'reflect-metadata';
import { X509Certificate, createPrivateKey, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { createCa, createSelfSigned, encryptKeyPem, issueCert, type Issued } from '../../support/pki.js';
import { analyzePem, scanArmor, type PemDamage, type PemSlot } from '../../../src/knowledge/pem-text.js';
import {
  describeKey,
  keyMatchesCertificate,
  lintCertificate,
  readCertificateDer,
} from '../../../src/knowledge/x509.js';

const DAY = 86_400_000;
const NOW = new Date();

let ca: Issued;
let ecClient: Issued;
let rsaClient: Issued;
let ecSec1: Issued;

beforeAll(async () => {
  ca = await createCa({ notAfter: new Date(NOW.getTime() + 365 * DAY) });
  [ecClient, rsaClient, ecSec1] = await Promise.all([
    issueCert(ca, { commonName: 'ec-client', clientAuth: true, notAfter: new Date(NOW.getTime() + 365 * DAY) }),
    issueCert(ca, {
      commonName: 'rsa-client',
      keyType: 'rsa',
      keyFormat: 'pkcs1',
      notAfter: new Date(NOW.getTime() + 365 * DAY),
    }),
    issueCert(ca, {
      commonName: 'sec1-client',
      keyType: 'ec',
      keyFormat: 'sec1',
      notAfter: new Date(NOW.getTime() + 365 * DAY),
    }),
  ]);
});

const bodyOf = (pem: string) =>
  pem
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'))
    .join('');

/** Each damage form as people produce it, derived from a good PEM. */
const DAMAGE_FORMS: Array<[string, (pem: string) => string, PemDamage[], boolean]> = [
  // name, damage, expected findings, whether undoing the damage makes it parse
  ['CRLF line endings', (p) => p.replace(/\n/g, '\r\n'), ['crlf'], true],
  ['indented lines', (p) => p.replace(/^/gm, '    ').trimEnd(), ['indented'], true],
  ['literal \\n sequences', (p) => p.trim().replace(/\n/g, '\\n'), ['literal-newlines'], true],
  ['newlines removed', (p) => p.replace(/\n/g, ''), ['one-line'], true],
  ['newlines turned into spaces', (p) => p.trim().replace(/\n/g, ' '), ['one-line'], true],
  ['missing END line', (p) => p.trim().split('\n').slice(0, -1).join('\n'), ['missing-end'], true],
  ['trailing garbage', (p) => `${p}garbage after the block\n`, ['trailing-garbage'], true],
  ['surrounding quotes', (p) => `"${p.trim()}"`, ['quoted'], true],
  ['quotes and literal \\n', (p) => `"${p.trim().replace(/\n/g, '\\n')}"`, ['quoted', 'literal-newlines'], true],
];

describe('analyzePem damage forms', () => {
  const cases = (): Array<[string, PemSlot, () => string]> => [
    ['EC certificate', 'client-cert', () => ecClient.certPem],
    ['RSA certificate', 'client-cert', () => rsaClient.certPem],
    ['CA certificate', 'server-ca', () => ca.certPem],
    ['EC PKCS#8 key', 'client-key', () => ecClient.keyPem],
    ['EC SEC1 key', 'client-key', () => ecSec1.keyPem],
    ['RSA PKCS#1 key', 'client-key', () => rsaClient.keyPem],
  ];

  describe.each(cases())('%s', (_name, slot, pem) => {
    it('finds no damage in the good PEM and parses it', () => {
      const analysis = analyzePem(Buffer.from(pem()), slot, 'path');
      expect(analysis.damage).toEqual([]);
      if (slot === 'client-key') expect(analysis.key).toBeDefined();
      else expect(analysis.certs).toHaveLength(1);
    });

    it.each(DAMAGE_FORMS)('detects %s', (_form, damage, expected, repairable) => {
      const analysis = analyzePem(Buffer.from(damage(pem())), slot, 'data');
      expect(analysis.damage).toEqual(expected);
      const benign = expected.every((d) => d === 'crlf' || d === 'trailing-garbage');
      if (benign) {
        expect(analysis.certs.length > 0 || analysis.key !== undefined).toBe(true);
      } else {
        expect(analysis.certs).toEqual([]);
        expect(analysis.key).toBeUndefined();
        expect(analysis.repair?.parses).toBe(repairable);
      }
    });
  });

  it('says what a repaired certificate parses as, by subject', () => {
    const analysis = analyzePem(Buffer.from(ecClient.certPem.trim().replace(/\n/g, '\\n')), 'client-cert', 'data');
    expect(analysis.repair).toMatchObject({ parses: true, kind: 'certificate', certSubject: 'CN=ec-client' });
    expect(analysis.repair?.steps).toEqual(['replaced literal \\n with newlines']);
  });
});

describe('analyzePem content that is not PEM', () => {
  it.each<[string, () => Buffer, 'path' | 'data', PemDamage, string | undefined]>([
    ['an empty value', () => Buffer.alloc(0), 'data', 'empty', undefined],
    ['only whitespace', () => Buffer.from('  \n\n'), 'path', 'empty', undefined],
    ['DER certificate bytes', () => ecClient.cert.raw, 'path', 'der', 'certificate'],
    [
      'DER key bytes',
      () => createPrivateKey(ecClient.keyPem).export({ type: 'pkcs8', format: 'der' }),
      'path',
      'der',
      'private-key',
    ],
    ['random binary', () => Buffer.from([0, 1, 2, 3, 255, 254]), 'path', 'binary', undefined],
    ['a file path given as data', () => Buffer.from('/etc/temporal/client.pem'), 'data', 'path-as-data', undefined],
    ['a relative path given as data', () => Buffer.from('certs/ca.pem\n'), 'data', 'path-as-data', undefined],
    [
      'base64 of a PEM',
      () => Buffer.from(Buffer.from(ecClient.certPem).toString('base64')),
      'data',
      'base64-encoded',
      'certificate',
    ],
    ['a bare base64 body', () => Buffer.from(bodyOf(ecClient.certPem)), 'data', 'no-armor', 'certificate'],
    ['plain text', () => Buffer.from('hello, this is not a certificate'), 'path', 'not-pem', undefined],
  ])('recognises %s', (_name, bytes, origin, damage, repairedKind) => {
    const analysis = analyzePem(bytes(), 'client-cert', origin);
    expect(analysis.damage).toEqual([damage]);
    expect(analysis.repair?.kind).toBe(repairedKind);
    if (repairedKind) expect(analysis.repair?.parses).toBe(true);
  });

  it('reports a damaged body inside intact armor as corrupt, with the parser error', () => {
    const lines = ecClient.certPem.trim().split('\n');
    const truncated = [lines[0], ...lines.slice(1, -1).slice(0, 2), lines[lines.length - 1]].join('\n');
    const analysis = analyzePem(Buffer.from(`${truncated}\n`), 'client-cert', 'path');
    expect(analysis.damage).toEqual(['corrupt']);
    expect(analysis.parseError).toBeDefined();
  });
});

describe('analyzePem slot contents', () => {
  it('sees a private key in the certificate slot', () => {
    expect(analyzePem(Buffer.from(ecClient.keyPem), 'client-cert', 'path').kind).toBe('private-key');
  });

  it('sees a certificate in the key slot', () => {
    expect(analyzePem(Buffer.from(ecClient.certPem), 'client-key', 'path').kind).toBe('certificate');
  });

  it('sees the kind through damage (a key with literal \\n in the certificate slot)', () => {
    const analysis = analyzePem(Buffer.from(ecClient.keyPem.trim().replace(/\n/g, '\\n')), 'client-cert', 'data');
    expect(analysis.kind).toBe('private-key');
    expect(analysis.damage).toContain('literal-newlines');
  });

  it.each([
    ['PKCS#8 encrypted', () => encryptKeyPem(ecClient.keyPem, 'secret')],
    [
      'legacy Proc-Type encrypted',
      () =>
        createPrivateKey(ecSec1.keyPem)
          .export({ type: 'sec1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' })
          .toString(),
    ],
  ])('recognises a %s key without asking for a passphrase', (_name, pem) => {
    const analysis = analyzePem(Buffer.from(pem()), 'client-key', 'path');
    expect(analysis.kind).toBe('encrypted-private-key');
    expect(analysis.key).toBeUndefined();
  });

  it('accepts a key file that also holds the certificate', () => {
    const analysis = analyzePem(Buffer.from(ecClient.certPem + ecClient.keyPem), 'client-key', 'path');
    expect(analysis.kind).toBe('private-key');
    expect(analysis.key).toBeDefined();
  });

  it('parses every certificate of a CA bundle', () => {
    const analysis = analyzePem(Buffer.from(ca.certPem + ecClient.certPem), 'server-ca', 'path');
    expect(analysis.certs.map((c) => c.subject)).toEqual(['CN=Test CA', 'CN=ec-client']);
  });

  it('recognises a CSR', () => {
    const csr = `-----BEGIN CERTIFICATE REQUEST-----\n${bodyOf(ecClient.certPem)}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(analyzePem(Buffer.from(csr), 'client-cert', 'path').kind).toBe('certificate-request');
  });
});

describe('scanArmor', () => {
  it('finds blocks mid-line and notes a missing END', () => {
    const blocks = scanArmor(
      `junk -----BEGIN CERTIFICATE----- AAAA -----END CERTIFICATE----- -----BEGIN PRIVATE KEY-----\nBBBB`
    );
    expect(blocks).toEqual([
      { label: 'CERTIFICATE', encrypted: false, body: 'AAAA', hasEnd: true },
      { label: 'PRIVATE KEY', encrypted: false, body: 'BBBB', hasEnd: false },
    ]);
  });
});

describe('keys', () => {
  it('matches a key to its certificate by public key', () => {
    expect(keyMatchesCertificate(createPrivateKey(ecClient.keyPem), ecClient.cert)).toBe(true);
    expect(keyMatchesCertificate(createPrivateKey(rsaClient.keyPem), ecClient.cert)).toBe(false);
    expect(keyMatchesCertificate(createPrivateKey(ca.keyPem), ecClient.cert)).toBe(false);
  });

  it.each([
    ['EC PKCS#8', () => ecClient.keyPem, 'PRIVATE KEY', 'EC prime256v1 (PKCS#8)'],
    ['EC SEC1', () => ecSec1.keyPem, 'EC PRIVATE KEY', 'EC prime256v1 (SEC1)'],
    ['RSA PKCS#1', () => rsaClient.keyPem, 'RSA PRIVATE KEY', 'RSA 2048 bits (PKCS#1)'],
  ])('describes a %s key by type, size and format only', (_name, pem, label, description) => {
    expect(describeKey(createPrivateKey(pem()), label)).toBe(description);
  });
});

describe('lintCertificate', () => {
  const rules = (cert: X509Certificate, role: 'client' | 'ca', now = NOW, warnDays = 30) =>
    lintCertificate(cert, role, now, warnDays).map((f) => `${f.rule}:${f.status}`);

  it('finds nothing wrong with a fresh v3 client certificate', () => {
    expect(rules(ecClient.cert, 'client')).toEqual([]);
    expect(rules(ca.cert, 'ca')).toEqual([]);
  });

  it('fails an expired certificate and one that is not valid yet', async () => {
    const expired = await issueCert(ca, {
      notBefore: new Date(NOW.getTime() - 10 * DAY),
      notAfter: new Date(NOW.getTime() - DAY),
    });
    const future = await issueCert(ca, {
      notBefore: new Date(NOW.getTime() + DAY),
      notAfter: new Date(NOW.getTime() + 10 * DAY),
    });
    expect(rules(expired.cert, 'client')).toEqual(['expired:fail']);
    expect(rules(future.cert, 'client')).toEqual(['not-yet-valid:fail']);
  });

  it('warns within the expiry window only', async () => {
    const soon = await issueCert(ca, { notAfter: new Date(NOW.getTime() + 5 * DAY) });
    expect(rules(soon.cert, 'client', NOW, 30)).toEqual(['expiring:warn']);
    expect(rules(soon.cert, 'client', NOW, 3)).toEqual([]);
  });

  it('warns about a CA certificate used as the client certificate', () => {
    expect(rules(ca.cert, 'client')).toEqual(['is-ca:warn']);
  });

  it('warns about a client certificate whose key usage excludes clientAuth', async () => {
    const serverOnly = await issueCert(ca, {
      serverAuth: true,
      clientAuth: false,
      notAfter: new Date(NOW.getTime() + 365 * DAY),
    });
    expect(rules(serverOnly.cert, 'client')).toEqual(['no-client-auth:warn']);
  });

  it('warns about a self-signed CN-only server certificate given as CA', async () => {
    const pinned = await createSelfSigned({ noSan: true, notAfter: new Date(NOW.getTime() + 365 * DAY) });
    expect(rules(pinned.cert, 'ca')).toEqual(['cn-only:warn']);
  });

  it('warns about an X.509 v1 certificate', () => {
    const v1 = new X509Certificate(toVersion1(ecClient.cert.raw));
    expect(readCertificateDer(v1.raw)?.version).toBe(1);
    expect(rules(v1, 'client')).toContain('v1:warn');
  });

  it('warns about a SHA-1 signature, except on a self-signed root', async () => {
    const sha1 = await selfSignedWithHash('SHA-1');
    expect(readCertificateDer(sha1.raw)?.signatureOid).toBe('2a8648ce3d0401');
    expect(rules(sha1, 'client')).toContain('sha1:warn');
    expect(rules(sha1, 'ca')).not.toContain('sha1:warn');
  });

  it('reads version 3 and ecdsa-with-SHA256 from a modern certificate', () => {
    expect(readCertificateDer(ecClient.cert.raw)).toEqual({ version: 3, signatureOid: '2a8648ce3d040302' });
  });
});

// ---- DER helpers for certificates the test PKI does not make ---------------------------------------------------------

function readTlv(der: Buffer, offset: number): { start: number; end: number; headerEnd: number } {
  const first = der[offset + 1] ?? 0;
  let length = first;
  let headerEnd = offset + 2;
  if (first & 0x80) {
    length = 0;
    for (let i = 0; i < (first & 0x7f); i++) length = length * 256 + (der[headerEnd + i] ?? 0);
    headerEnd += first & 0x7f;
  }
  return { start: offset, headerEnd, end: headerEnd + length };
}

function encodeTlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length =
    n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

/** Drops the [0] version and [3] extensions from tbsCertificate: a v1 certificate (its signature no longer verifies). */
function toVersion1(der: Buffer): Buffer {
  const outer = readTlv(der, 0);
  const tbs = readTlv(der, outer.headerEnd);
  const children: Buffer[] = [];
  for (let at = tbs.headerEnd; at < tbs.end;) {
    const child = readTlv(der, at);
    const tag = der[at];
    if (tag !== 0xa0 && tag !== 0xa3) children.push(der.subarray(at, child.end));
    at = child.end;
  }
  const rest = der.subarray(tbs.end, outer.end);
  return encodeTlv(0x30, Buffer.concat([encodeTlv(0x30, Buffer.concat(children)), rest]));
}

async function selfSignedWithHash(hash: 'SHA-1'): Promise<X509Certificate> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=sha1',
    notBefore: new Date(NOW.getTime() - DAY),
    notAfter: new Date(NOW.getTime() + 365 * DAY),
    keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'],
    signingAlgorithm: algorithm,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true)],
  });
  return new X509Certificate(cert.toString('pem'));
}
