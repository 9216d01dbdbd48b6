import { describe, it, expect, beforeAll } from '@jest/globals';
import { createPrivateKey } from 'node:crypto';
import { createCa, createSelfSigned, createTestPki, encryptKeyPem, issueCert } from '../support/pki.js';
import type { Issued, TestPki } from '../support/pki.js';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

// Only the PEM header line, so a failing assertion never prints key material.
function pemHeader(pem: string): string {
  return pem.split('\n')[0] ?? '';
}

function keyMatchesCert(issued: Issued): boolean {
  return issued.cert.checkPrivateKey(createPrivateKey(issued.keyPem));
}

describe('createTestPki', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await createTestPki();
  });

  it('issues a server leaf signed by the CA with SANs localhost, 127.0.0.1 and ::1', () => {
    expect(pki.server.cert.verify(pki.ca.cert.publicKey)).toBe(true);
    expect(pki.server.cert.checkHost('localhost')).toBe('localhost');
    expect(pki.server.cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(pki.server.cert.checkIP('::1')).toBe('::1');
    expect(pki.server.cert.ca).toBe(false);
    expect(pki.server.cert.keyUsage).toContain(SERVER_AUTH);
  });

  it('issues a client leaf with clientAuth signed by the CA', () => {
    expect(pki.client.cert.verify(pki.ca.cert.publicKey)).toBe(true);
    expect(pki.client.cert.keyUsage).toContain(CLIENT_AUTH);
    expect(pki.client.cert.checkIssued(pki.ca.cert)).toBe(true);
  });

  it('makes the other CA and its client unrelated to the main CA', () => {
    expect(pki.otherCa.cert.ca).toBe(true);
    expect(pki.otherClient.cert.verify(pki.otherCa.cert.publicKey)).toBe(true);
    expect(pki.otherClient.cert.verify(pki.ca.cert.publicKey)).toBe(false);
    expect(pki.otherCa.cert.fingerprint256).not.toBe(pki.ca.cert.fingerprint256);
  });

  it('marks the CA as a self-signed CA named Test CA', () => {
    expect(pki.ca.cert.ca).toBe(true);
    expect(pki.ca.cert.subject).toBe('CN=Test CA');
    expect(pki.ca.cert.verify(pki.ca.cert.publicKey)).toBe(true);
  });

  it('pairs every private key with its certificate', () => {
    for (const issued of [pki.ca, pki.server, pki.client, pki.otherCa, pki.otherClient]) {
      expect(keyMatchesCert(issued)).toBe(true);
    }
  });

  it('writes PEM with LF line endings and a trailing newline', () => {
    expect(pki.server.certPem).not.toContain('\r');
    expect(pki.server.keyPem).not.toContain('\r');
    expect(pki.server.certPem.endsWith('-----END CERTIFICATE-----\n')).toBe(true);
    expect(pemHeader(pki.server.keyPem)).toBe('-----BEGIN PRIVATE KEY-----');
  });
});

describe('CertOptions', () => {
  let ca: Issued;
  beforeAll(async () => {
    ca = await createCa();
  });

  it('defaults a leaf to CN and SAN localhost, both EKUs, valid from an hour ago for 30 days', async () => {
    const before = Date.now();
    const leaf = await issueCert(ca);
    expect(leaf.cert.subject).toBe('CN=localhost');
    expect(leaf.cert.subjectAltName).toBe('DNS:localhost');
    expect(leaf.cert.keyUsage).toEqual(expect.arrayContaining([SERVER_AUTH, CLIENT_AUTH]));
    const validFrom = Date.parse(leaf.cert.validFrom);
    const validTo = Date.parse(leaf.cert.validTo);
    expect(Math.abs(validFrom - (before - 3_600_000))).toBeLessThan(5_000);
    expect(Math.abs(validTo - (before + 30 * 86_400_000))).toBeLessThan(5_000);
  });

  it('uses the now option as the reference for the default window', async () => {
    const now = new Date('2020-06-01T00:00:00Z');
    const leaf = await issueCert(ca, { now });
    expect(new Date(leaf.cert.validFrom).toISOString()).toBe('2020-05-31T23:00:00.000Z');
    expect(new Date(leaf.cert.validTo).toISOString()).toBe('2020-07-01T00:00:00.000Z');
  });

  it('honours explicit notBefore and notAfter, so an expired cert can be made', async () => {
    const notBefore = new Date('2021-01-01T00:00:00Z');
    const notAfter = new Date('2021-02-01T00:00:00Z');
    const leaf = await issueCert(ca, { notBefore, notAfter });
    expect(new Date(leaf.cert.validFrom).toISOString()).toBe(notBefore.toISOString());
    expect(new Date(leaf.cert.validTo).toISOString()).toBe(notAfter.toISOString());
    expect(Date.parse(leaf.cert.validTo)).toBeLessThan(Date.now());
  });

  it('puts the requested DNS names and IPs in the SAN and nothing else', async () => {
    const leaf = await issueCert(ca, {
      commonName: 'ns1.acct.tmprl.cloud',
      dnsNames: ['ns1.acct.tmprl.cloud', '*.acct.tmprl.cloud'],
      ipAddresses: ['10.0.0.7'],
    });
    expect(leaf.cert.subject).toBe('CN=ns1.acct.tmprl.cloud');
    expect(leaf.cert.checkHost('ns1.acct.tmprl.cloud')).toBe('ns1.acct.tmprl.cloud');
    expect(leaf.cert.checkHost('other.acct.tmprl.cloud')).toBe('*.acct.tmprl.cloud');
    expect(leaf.cert.checkHost('localhost')).toBeUndefined();
    expect(leaf.cert.checkIP('10.0.0.7')).toBe('10.0.0.7');
    expect(leaf.cert.checkIP('127.0.0.1')).toBeUndefined();
  });

  it('leaves out the SAN extension entirely with noSan, keeping the CN', async () => {
    const leaf = await issueCert(ca, { commonName: 'cn-only.example', noSan: true });
    expect(leaf.cert.subjectAltName).toBeUndefined();
    expect(leaf.cert.subject).toBe('CN=cn-only.example');
    expect(leaf.cert.checkHost('cn-only.example', { subject: 'never' })).toBeUndefined();
  });

  it('restricts the EKU to serverAuth or clientAuth when the other is turned off', async () => {
    const serverOnly = await issueCert(ca, { clientAuth: false });
    const clientOnly = await issueCert(ca, { serverAuth: false });
    expect(serverOnly.cert.keyUsage).toEqual([SERVER_AUTH]);
    expect(clientOnly.cert.keyUsage).toEqual([CLIENT_AUTH]);
  });

  it('issues an intermediate CA when isCa is set on issueCert', async () => {
    const intermediate = await issueCert(ca, { isCa: true, commonName: 'Intermediate' });
    const leaf = await issueCert(intermediate);
    expect(intermediate.cert.ca).toBe(true);
    expect(intermediate.cert.verify(ca.cert.publicKey)).toBe(true);
    expect(leaf.cert.verify(intermediate.cert.publicKey)).toBe(true);
    expect(leaf.cert.issuer).toBe('CN=Intermediate');
  });

  it('writes an EC key as SEC1 when asked', async () => {
    const leaf = await issueCert(ca, { keyFormat: 'sec1' });
    expect(pemHeader(leaf.keyPem)).toBe('-----BEGIN EC PRIVATE KEY-----');
    expect(keyMatchesCert(leaf)).toBe(true);
  });

  it('refuses key formats that do not fit the key type', async () => {
    await expect(issueCert(ca, { keyType: 'ec', keyFormat: 'pkcs1' })).rejects.toThrow('pkcs1');
  });

  it('generates RSA-2048 keys on request and writes them as PKCS#1', async () => {
    const leaf = await issueCert(ca, { keyType: 'rsa', keyFormat: 'pkcs1' });
    expect(pemHeader(leaf.keyPem)).toBe('-----BEGIN RSA PRIVATE KEY-----');
    expect(leaf.cert.publicKey.asymmetricKeyType).toBe('rsa');
    expect(leaf.cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(leaf.cert.verify(ca.cert.publicKey)).toBe(true);
    expect(keyMatchesCert(leaf)).toBe(true);
  });
});

describe('createSelfSigned', () => {
  it('makes a leaf that verifies against its own key and is not a CA', async () => {
    const leaf = await createSelfSigned();
    expect(leaf.cert.verify(leaf.cert.publicKey)).toBe(true);
    expect(leaf.cert.issuer).toBe(leaf.cert.subject);
    expect(leaf.cert.ca).toBe(false);
    expect(leaf.cert.checkHost('localhost')).toBe('localhost');
  });

  it('honours isCa', async () => {
    const root = await createSelfSigned({ isCa: true, commonName: 'Self CA' });
    expect(root.cert.ca).toBe(true);
    expect(root.cert.subject).toBe('CN=Self CA');
  });
});

describe('encryptKeyPem', () => {
  it('produces an encrypted PKCS#8 key that only opens with the passphrase', async () => {
    const leaf = await createSelfSigned();
    const encrypted = encryptKeyPem(leaf.keyPem, 'correct horse');
    expect(pemHeader(encrypted)).toBe('-----BEGIN ENCRYPTED PRIVATE KEY-----');
    expect(() => createPrivateKey(encrypted)).toThrow();
    expect(() => createPrivateKey({ key: encrypted, passphrase: 'wrong' })).toThrow();
    expect(leaf.cert.checkPrivateKey(createPrivateKey({ key: encrypted, passphrase: 'correct horse' }))).toBe(true);
  });
});
