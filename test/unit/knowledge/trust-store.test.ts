// The Worker's trust source (configured CA, SSL_CERT_FILE/SSL_CERT_DIR, OS bundle) and webpki-style path building.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, createSelfSigned, issueCert, type Issued } from '../../support/pki.js';
import { parseBundle, verifyChain, workerTrustSource } from '../../../src/knowledge/trust-store.js';

let ca: Issued;
let intermediate: Issued;
let leaf: Issued;
let viaIntermediate: Issued;
let stranger: Issued;
const dir = mkdtempSync(join(tmpdir(), 'trust-store-'));

beforeAll(async () => {
  ca = await createCa({ commonName: 'Root CA' });
  intermediate = await issueCert(ca, { isCa: true, commonName: 'Intermediate CA' });
  leaf = await issueCert(ca, { dnsNames: ['localhost'] });
  viaIntermediate = await issueCert(intermediate, { dnsNames: ['localhost'] });
  stranger = await createCa({ commonName: 'Stranger CA' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verifyChain', () => {
  it('trusts a leaf issued by a root in the store, and names the anchor', () => {
    const verdict = verifyChain([leaf.cert], [stranger.cert, ca.cert]);
    expect(verdict.trusted).toBe(true);
    expect(verdict.anchor?.subject).toBe('CN=Root CA');
  });

  it('builds a path through the intermediates the server sent', () => {
    expect(verifyChain([viaIntermediate.cert, intermediate.cert], [ca.cert]).trusted).toBe(true);
    expect(verifyChain([viaIntermediate.cert], [ca.cert]).trusted).toBe(false);
  });

  it('accepts an intermediate configured alone as the anchor (webpki anchors are a name and a key)', () => {
    expect(verifyChain([viaIntermediate.cert], [intermediate.cert]).trusted).toBe(true);
  });

  it('accepts a self-signed CA:FALSE leaf configured as its own root, and rejects another CA with the same name', async () => {
    const selfSigned = await createSelfSigned({ commonName: 'localhost', dnsNames: ['localhost'] });
    expect(verifyChain([selfSigned.cert], [selfSigned.cert]).trusted).toBe(true);
    const impostor = await createCa({ commonName: 'Root CA' });
    expect(verifyChain([leaf.cert], [impostor.cert]).trusted).toBe(false);
  });
});

describe('workerTrustSource', () => {
  it('uses only the configured CA when one is set, whatever SSL_CERT_FILE says', () => {
    const source = workerTrustSource(
      { caPem: ca.certPem, caCerts: [ca.cert], caSetting: '--tls-ca-path' },
      { SSL_CERT_FILE: '/nonexistent' }
    );
    expect(source).toMatchObject({
      kind: 'configured-ca',
      description: 'the CA from --tls-ca-path (it replaces the OS trust store)',
      problems: [],
    });
    expect(source.roots).toEqual([ca.cert]);
  });

  it('reads SSL_CERT_FILE and the hash-named files of SSL_CERT_DIR when set', () => {
    const file = join(dir, 'bundle.pem');
    writeFileSync(file, `junk before\n${ca.certPem}${stranger.certPem}`);
    const hashed = join(dir, 'hashed');
    mkdirSync(hashed);
    writeFileSync(join(hashed, 'abcdef01.0'), intermediate.certPem);
    writeFileSync(join(hashed, 'ignored.pem'), leaf.certPem);
    const source = workerTrustSource({ caCerts: [] }, { SSL_CERT_FILE: file, SSL_CERT_DIR: hashed });
    expect(source.kind).toBe('env');
    expect(source.description).toBe(`SSL_CERT_FILE=${file} and SSL_CERT_DIR=${hashed}`);
    expect(source.roots.map((c) => c.subject)).toEqual(['CN=Root CA', 'CN=Stranger CA', 'CN=Intermediate CA']);
  });

  it('says when SSL_CERT_DIR holds certificates without hash-named links', () => {
    const plain = join(dir, 'plain');
    mkdirSync(plain);
    writeFileSync(join(plain, 'my-ca.pem'), ca.certPem);
    const source = workerTrustSource({ caCerts: [] }, { SSL_CERT_DIR: plain });
    expect(source.roots).toEqual([]);
    expect(source.problems.join(' ')).toMatch(/openssl rehash/);
  });

  it('reports a missing SSL_CERT_FILE as a problem, not as the OS store', () => {
    const source = workerTrustSource({ caCerts: [] }, { SSL_CERT_FILE: join(dir, 'missing.pem') });
    expect(source).toMatchObject({ kind: 'env', roots: [] });
    expect(source.problems).toEqual(['SSL_CERT_FILE cannot be read (ENOENT)']);
  });

  it('falls back to the OS bundle on Linux, and calls macOS and Windows stores unreadable', () => {
    const linux = workerTrustSource({ caCerts: [] }, {}, 'linux');
    expect(['os-bundle', 'none-found']).toContain(linux.kind);
    if (linux.kind === 'os-bundle') expect(linux.roots.length).toBeGreaterThan(10);
    expect(workerTrustSource({ caCerts: [] }, {}, 'darwin')).toMatchObject({
      kind: 'unreadable-platform-store',
      description: 'the macOS keychain',
    });
    expect(workerTrustSource({ caCerts: [] }, {}, 'win32').kind).toBe('unreadable-platform-store');
  });
});

describe('parseBundle', () => {
  it('skips damaged blocks the way rustls-pemfile does', () => {
    const damaged = '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n';
    expect(parseBundle(`${damaged}${ca.certPem}`).map((c) => c.subject)).toEqual(['CN=Root CA']);
  });
});
