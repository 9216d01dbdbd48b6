// Test PKI generated in-process: no openssl CLI, no fixtures on disk.
// @peculiar/x509 resolves its DI container through tsyringe, which needs the Reflect polyfill loaded first.
import 'reflect-metadata';
import { X509Certificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type PeculiarCrypto = Parameters<typeof x509.cryptoProvider.set>[0];
type PeculiarKey = x509.X509CertificateCreateWithKeyParams['signingKey'];

// lib ES2023 has no DOM Crypto/CryptoKey types, so node's webcrypto types differ nominally from the ones x509 expects.
x509.cryptoProvider.set(webcrypto as unknown as PeculiarCrypto);

export interface Issued {
  certPem: string;
  keyPem: string;
  cert: X509Certificate;
  /** Internal: the key pair and parsed certificate used to sign children. */
  signer: { keys: webcrypto.CryptoKeyPair; cert: x509.X509Certificate; keyType: 'ec' | 'rsa' };
}

export interface CertOptions {
  commonName?: string;
  dnsNames?: string[];
  ipAddresses?: string[];
  /** CN-only certificate (no subjectAltName extension at all). */
  noSan?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  /** Reference time for the default validity window. */
  now?: Date;
  isCa?: boolean;
  serverAuth?: boolean;
  clientAuth?: boolean;
  keyType?: 'ec' | 'rsa';
  keyFormat?: 'pkcs8' | 'pkcs1' | 'sec1';
}

export interface TestPki {
  ca: Issued;
  server: Issued;
  client: Issued;
  otherCa: Issued;
  otherClient: Issued;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const EC_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const RSA_ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};

function algorithmFor(keyType: 'ec' | 'rsa'): typeof EC_ALGORITHM | typeof RSA_ALGORITHM {
  return keyType === 'rsa' ? RSA_ALGORITHM : EC_ALGORITHM;
}

async function generateKeys(keyType: 'ec' | 'rsa'): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(algorithmFor(keyType), true, ['sign', 'verify']);
}

async function exportKeyPem(
  keys: webcrypto.CryptoKeyPair,
  keyType: 'ec' | 'rsa',
  format: CertOptions['keyFormat']
): Promise<string> {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const requested = format ?? 'pkcs8';
  if (requested === 'pkcs1' && keyType !== 'rsa') throw new Error('keyFormat pkcs1 needs keyType rsa');
  if (requested === 'sec1' && keyType !== 'ec') throw new Error('keyFormat sec1 needs keyType ec');
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return toLf(key.export({ type: requested, format: 'pem' }).toString());
}

function toLf(pem: string): string {
  const lf = pem.replace(/\r\n/g, '\n');
  return lf.endsWith('\n') ? lf : `${lf}\n`;
}

function escapeDnValue(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1');
}

function validity(opts: CertOptions): { notBefore: Date; notAfter: Date } {
  const now = (opts.now ?? new Date()).getTime();
  return {
    notBefore: opts.notBefore ?? new Date(now - HOUR_MS),
    notAfter: opts.notAfter ?? new Date(now + 30 * DAY_MS),
  };
}

function subjectAltNames(opts: CertOptions, isLeaf: boolean): x509.SubjectAlternativeNameExtension | undefined {
  if (opts.noSan) return undefined;
  const dnsNames = opts.dnsNames ?? (isLeaf ? ['localhost'] : []);
  const names = [
    ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  return names.length > 0 ? new x509.SubjectAlternativeNameExtension(names) : undefined;
}

async function build(opts: CertOptions, issuer: Issued | undefined): Promise<Issued> {
  const isCa = opts.isCa ?? false;
  const keyType = opts.keyType ?? 'ec';
  const keys = await generateKeys(keyType);
  const publicKey = keys.publicKey as unknown as PeculiarKey;
  const commonName = opts.commonName ?? (isCa ? 'Test CA' : 'localhost');
  const subject = `CN=${escapeDnValue(commonName)}`;

  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(isCa, undefined, true),
    new x509.KeyUsagesExtension(
      isCa
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature
        : x509.KeyUsageFlags.digitalSignature | (keyType === 'rsa' ? x509.KeyUsageFlags.keyEncipherment : 0),
      true
    ),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
  ];
  const usages = [
    ...((opts.serverAuth ?? !isCa) ? [x509.ExtendedKeyUsage.serverAuth] : []),
    ...((opts.clientAuth ?? !isCa) ? [x509.ExtendedKeyUsage.clientAuth] : []),
  ];
  if (usages.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(usages));
  const san = subjectAltNames(opts, !isCa);
  if (san) extensions.push(san);

  const signer = issuer?.signer ?? { keys, keyType };
  if (issuer)
    extensions.push(
      await x509.AuthorityKeyIdentifierExtension.create(issuer.signer.keys.publicKey as unknown as PeculiarKey)
    );

  const cert = await x509.X509CertificateGenerator.create({
    // Positive 16-byte serial: leading byte < 0x80 keeps the DER INTEGER positive.
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    subject,
    issuer: issuer ? issuer.signer.cert.subject : subject,
    ...validity(opts),
    publicKey,
    signingKey: signer.keys.privateKey as unknown as PeculiarKey,
    signingAlgorithm: algorithmFor(signer.keyType),
    extensions,
  });

  const certPem = toLf(cert.toString('pem'));
  return {
    certPem,
    keyPem: await exportKeyPem(keys, keyType, opts.keyFormat),
    cert: new X509Certificate(certPem),
    signer: { keys, cert, keyType },
  };
}

export function createCa(opts: CertOptions = {}): Promise<Issued> {
  return build({ ...opts, isCa: true }, undefined);
}

export function issueCert(ca: Issued, opts: CertOptions = {}): Promise<Issued> {
  return build(opts, ca);
}

export function createSelfSigned(opts: CertOptions = {}): Promise<Issued> {
  return build(opts, undefined);
}

export function encryptKeyPem(keyPem: string, passphrase: string): string {
  const key = createPrivateKey(keyPem);
  return toLf(key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString());
}

export async function createTestPki(): Promise<TestPki> {
  const [ca, otherCa] = await Promise.all([createCa(), createCa({ commonName: 'Other Test CA' })]);
  const [server, client, otherClient] = await Promise.all([
    issueCert(ca, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'] }),
    issueCert(ca, { commonName: 'test-client', noSan: true, serverAuth: false, clientAuth: true }),
    issueCert(otherCa, { commonName: 'other-client', noSan: true, serverAuth: false, clientAuth: true }),
  ]);
  return { ca, server, client, otherCa, otherClient };
}
