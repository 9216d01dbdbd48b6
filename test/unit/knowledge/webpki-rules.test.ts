// webpki's certificate rules, which the Worker applies and the Client (OpenSSL) does not.
import { describe, expect, it, beforeAll } from '@jest/globals';
import { X509Certificate, webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, Version } from '@peculiar/asn1-x509';
import { createCa, createSelfSigned, issueCert, type Issued } from '../../support/pki.js';
import { presentedNames, rustlsExpected, validForName, x509Version } from '../../../src/knowledge/webpki-rules.js';

/** Re-issues an RSA-signed certificate as X.509 v1 (no extensions), signed again by `signer`: old openssl recipes. */
async function asVersion1(cert: Issued, signer: Issued): Promise<X509Certificate> {
  const parsed = AsnConvert.parse(cert.cert.raw, Certificate);
  parsed.tbsCertificate.version = Version.v1;
  delete parsed.tbsCertificate.extensions;
  const tbs = AsnConvert.serialize(parsed.tbsCertificate);
  parsed.signatureValue = await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', signer.signer.keys.privateKey, tbs);
  return new X509Certificate(Buffer.from(AsnConvert.serialize(parsed)));
}

let rsaCa: Issued;
let rsaLeaf: Issued;
beforeAll(async () => {
  rsaCa = await createCa({ keyType: 'rsa', commonName: 'RSA CA' });
  rsaLeaf = await issueCert(rsaCa, { keyType: 'rsa', dnsNames: ['localhost'] });
});

describe('x509Version', () => {
  it('reads v3 from certificates with extensions', () => {
    expect(x509Version(rsaLeaf.cert)).toBe(3);
  });

  it('reads v1 from a certificate without the version field, which rustls rejects with UnsupportedCertVersion', async () => {
    const v1 = await asVersion1(rsaLeaf, rsaCa);
    expect(v1.subjectAltName).toBeUndefined();
    expect(v1.verify(rsaCa.cert.publicKey)).toBe(true);
    expect(x509Version(v1)).toBe(1);
  });
});

describe('validForName (no CN fallback)', () => {
  it('never accepts a CN-only certificate, whatever the CN says', async () => {
    const cnOnly = await createSelfSigned({ commonName: 'localhost', noSan: true });
    expect(presentedNames(cnOnly.cert)).toEqual({ dns: [], ip: [] });
    expect(validForName(presentedNames(cnOnly.cert), 'localhost')).toBe(false);
  });

  it('matches DNS names case-insensitively and a wildcard for exactly one left-most label', () => {
    const names = { dns: ['Temporal.Example.com', '*.tmprl.cloud.example'], ip: [] };
    expect(validForName(names, 'temporal.example.com')).toBe(true);
    expect(validForName(names, 'ns.tmprl.cloud.example')).toBe(true);
    expect(validForName(names, 'a.ns.tmprl.cloud.example')).toBe(false);
    expect(validForName(names, 'tmprl.cloud.example')).toBe(false);
    expect(validForName(names, 'other.example.com')).toBe(false);
  });

  it('checks IP literals against IP SANs only, IPv6 in any spelling', async () => {
    const cert = await createSelfSigned({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'] });
    const names = presentedNames(cert.cert);
    expect(validForName(names, '127.0.0.1')).toBe(true);
    expect(validForName(names, '0:0:0:0:0:0:0:1')).toBe(true);
    expect(validForName(names, '10.0.0.1')).toBe(false);
    expect(validForName({ dns: ['127.0.0.1'], ip: [] }, '127.0.0.1')).toBe(false);
  });

  it('spells the expected name the way rustls prints it', () => {
    expect(rustlsExpected('localhost')).toBe('DnsName("localhost")');
    expect(rustlsExpected('127.0.0.1')).toBe('IpAddress(127.0.0.1)');
  });
});
