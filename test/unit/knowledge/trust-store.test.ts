// The Worker's trust source (configured CA, SSL_CERT_FILE/SSL_CERT_DIR, OS bundle) and webpki-style path building.
import { execFileSync } from 'node:child_process';
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
  it('uses only the configured CA when one is set, whatever SSL_CERT_FILE says', async () => {
    const source = await workerTrustSource(
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

  it('reads SSL_CERT_FILE and the hash-named files of SSL_CERT_DIR when set', async () => {
    const file = join(dir, 'bundle.pem');
    writeFileSync(file, `junk before\n${ca.certPem}${stranger.certPem}`);
    const hashed = join(dir, 'hashed');
    mkdirSync(hashed);
    writeFileSync(join(hashed, 'abcdef01.0'), intermediate.certPem);
    writeFileSync(join(hashed, 'ignored.pem'), leaf.certPem);
    const source = await workerTrustSource({ caCerts: [] }, { SSL_CERT_FILE: file, SSL_CERT_DIR: hashed });
    expect(source.kind).toBe('env');
    expect(source.description).toBe(`SSL_CERT_FILE=${file} and SSL_CERT_DIR=${hashed}`);
    expect(source.roots.map((c) => c.subject)).toEqual(['CN=Root CA', 'CN=Stranger CA', 'CN=Intermediate CA']);
  });

  it('says when SSL_CERT_DIR holds certificates without hash-named links', async () => {
    const plain = join(dir, 'plain');
    mkdirSync(plain);
    writeFileSync(join(plain, 'my-ca.pem'), ca.certPem);
    const source = await workerTrustSource({ caCerts: [] }, { SSL_CERT_DIR: plain });
    expect(source.roots).toEqual([]);
    expect(source.problems.join(' ')).toMatch(/openssl rehash/);
  });

  it('reports a missing SSL_CERT_FILE as a problem, not as the OS store', async () => {
    const source = await workerTrustSource({ caCerts: [] }, { SSL_CERT_FILE: join(dir, 'missing.pem') });
    expect(source).toMatchObject({ kind: 'env', roots: [] });
    expect(source.problems).toEqual(['SSL_CERT_FILE does not exist']);
  });

  it('falls back to the OS bundle on Linux, and calls macOS and Windows stores unreadable', async () => {
    const linux = await workerTrustSource({ caCerts: [] }, {}, 'linux');
    expect(['os-bundle', 'none-found']).toContain(linux.kind);
    if (linux.kind === 'os-bundle') expect(linux.roots.length).toBeGreaterThan(10);
    expect(await workerTrustSource({ caCerts: [] }, {}, 'darwin')).toMatchObject({
      kind: 'unreadable-platform-store',
      description: 'the macOS keychain',
    });
    expect((await workerTrustSource({ caCerts: [] }, {}, 'win32')).kind).toBe('unreadable-platform-store');
  });
});

describe('workerTrustSource on files that are not CA bundles', () => {
  it.each([
    ['/proc/self/pagemap', /SSL_CERT_FILE is larger than \d+ bytes, too large to be a CA bundle/],
    ['/dev/zero', /SSL_CERT_FILE is not a regular file/],
    ['/proc', /SSL_CERT_FILE is a directory/],
  ])('SSL_CERT_FILE=%s is a problem, read no further than the cap', async (path, message) => {
    const started = performance.now();
    const source = await workerTrustSource({ caCerts: [] }, { SSL_CERT_FILE: path });
    expect(source).toMatchObject({ kind: 'env', roots: [] });
    expect(source.problems.join('; ')).toMatch(message);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('a FIFO as SSL_CERT_FILE or as a hash-named entry of SSL_CERT_DIR is refused without waiting for a writer', async () => {
    const fifos = join(dir, 'fifos');
    mkdirSync(fifos);
    execFileSync('mkfifo', [join(fifos, 'abcdef01.0'), join(fifos, 'bundle.pem')]);
    const source = await workerTrustSource(
      { caCerts: [] },
      { SSL_CERT_FILE: join(fifos, 'bundle.pem'), SSL_CERT_DIR: fifos }
    );
    expect(source.problems).toEqual([
      'SSL_CERT_FILE is not a regular file (a pipe, socket or device)',
      `${join('SSL_CERT_DIR', 'abcdef01.0')} is not a regular file (a pipe, socket or device)`,
    ]);
  });

  it('stops at the deadline', async () => {
    const source = await workerTrustSource(
      { caCerts: [] },
      { SSL_CERT_FILE: '/proc/self/pagemap' },
      'linux',
      AbortSignal.abort()
    );
    expect(source).toMatchObject({ kind: 'env', problems: ['SSL_CERT_FILE could not be read in time'] });
    expect(source.roots.length).toBe(0);
  });
});

describe('parseBundle', () => {
  it('skips damaged blocks the way rustls-pemfile does', () => {
    const damaged = '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n';
    expect(parseBundle(`${damaged}${ca.certPem}`).map((c) => c.subject)).toEqual(['CN=Root CA']);
  });
});
