// Real `openssl s_server` as an OpenSSL-based mTLS server: TLS 1.2 refuses a missing certificate inside the
// handshake with handshake_failure (40), TLS 1.3 with certificate_required (116) after it; an unknown CA gets
// unknown_ca (48). The doctor must read 40 without a certificate as "maybe a certificate demand", not as a cipher
// mismatch, when the handshake with the certificate works.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import { tlsStage } from '../../src/stages/tls/index.js';
import type { CheckResult } from '../../src/pipeline/types.js';
import { Secret } from '../../src/text/secret.js';
import type { EndpointFacts, PemFacts } from '../../src/facts.js';
import { createCa, issueCert, type Issued } from '../support/pki.js';
import { startOpensslServer, type OpensslServerOptions } from '../support/thirdparty/openssl-server.js';
import { closeAfterAll } from '../support/close-after-all.js';
import { flag, makeConfig, makeContext } from '../support/stage-context.js';

const YEAR_AHEAD = new Date(Date.now() + 365 * 86_400_000);
const serve = closeAfterAll();
let ca: Issued;
let server: Issued;
let client: Issued;
let stray: Issued;

beforeAll(async () => {
  ca = await createCa({ notAfter: YEAR_AHEAD });
  const otherCa = await createCa({ commonName: 'Other Test CA', notAfter: YEAR_AHEAD });
  server = await issueCert(ca, { commonName: 'localhost', dnsNames: ['localhost'], notAfter: YEAR_AHEAD });
  client = await issueCert(ca, {
    commonName: 'good-client',
    noSan: true,
    serverAuth: false,
    clientAuth: true,
    notAfter: YEAR_AHEAD,
  });
  stray = await issueCert(otherCa, {
    commonName: 'stray-client',
    noSan: true,
    serverAuth: false,
    clientAuth: true,
    notAfter: YEAR_AHEAD,
  });
});

function runTls(port: number, pair?: Issued): Promise<{ checks: CheckResult[] }> {
  const config = makeConfig({
    address: flag(`localhost:${port}`, '--address'),
    tls: flag(true, '--tls'),
    serverCa: flag({ kind: 'path' as const, path: 'ca.pem' }, '--tls-ca-path'),
  });
  const pem: PemFacts = { clientChain: [], serverCaCerts: [new X509Certificate(ca.certPem)], serverCaPem: ca.certPem };
  if (pair) {
    pem.clientCertPem = pair.certPem;
    pem.clientKeyPem = new Secret(pair.keyPem);
    pem.clientCert = pair.cert;
    pem.clientChain = [pair.cert];
  }
  const endpoint: EndpointFacts = {
    host: 'localhost',
    port,
    portDefaulted: false,
    kind: 'localhost',
    serverName: 'localhost',
  };
  const tcp = { reachable: [{ address: '127.0.0.1', family: 4 as const, connectMs: 1 }], port, attempts: [] };
  const ctx = makeContext<'config' | 'pem' | 'endpoint' | 'tcp'>({
    facts: { config, pem, endpoint, tcp },
    options: { timeoutMs: 4000, stack: 'client' },
  });
  return tlsStage.run(ctx);
}

const statuses = (checks: CheckResult[]) => checks.map((c) => `${c.id}:${c.status}`);
const start = (version: OpensslServerOptions['version']) =>
  serve(startOpensslServer({ cert: server, clientCaPem: ca.certPem, clientCert: 'require', version }));

describe('openssl s_server -Verify -tls1_2', () => {
  it('passes mTLS that works although the certificate-less probe gets handshake_failure (40)', async () => {
    const openssl = await start('tls1_2');
    const { checks } = await runTls(openssl.port, client);
    expect(checks.filter((c) => c.status === 'fail' || c.status === 'warn')).toEqual([]);
    expect(statuses(checks)).toContain('tls.client-cert.accepted:pass');
    expect(statuses(checks)).toContain('tls.server-chain.trusted:pass');
  });

  it('a certificate from another CA: tls.client-cert.rejected (unknown_ca), not a cipher problem', async () => {
    const openssl = await start('tls1_2');
    const { checks } = await runTls(openssl.port, stray);
    const rejected = checks.find((c) => c.id === 'tls.client-cert.rejected');
    expect(rejected?.status).toBe('fail');
    expect(rejected?.message).toMatch(/alert 48 unknown_ca/);
    expect(rejected?.message).toContain(
      'the server accepts client certificates issued by CN=Test CA; yours is issued by CN=Other Test CA'
    );
    expect(rejected?.fix).toContain('CN=Other Test CA');
  });

  it('no certificate configured: says handshake_failure may be a certificate demand', async () => {
    const openssl = await start('tls1_2');
    const { checks } = await runTls(openssl.port);
    const failed = checks.find((c) => c.status === 'fail');
    expect(failed?.message).toMatch(/alert 40 handshake_failure/);
    expect(failed?.fix).toContain('--tls-cert-path');
  });
});

describe('openssl s_server -Verify -tls1_3', () => {
  it('passes with the right certificate and fails tls.client-cert.required (116) without one', async () => {
    const openssl = await start('tls1_3');
    expect(statuses((await runTls(openssl.port, client)).checks)).toContain('tls.client-cert.accepted:pass');
    const { checks } = await runTls(openssl.port);
    expect(checks.find((c) => c.status === 'fail')).toMatchObject({ id: 'tls.client-cert.required' });
  });

  it('a certificate from another CA: tls.client-cert.rejected', async () => {
    const openssl = await start('tls1_3');
    const { checks } = await runTls(openssl.port, stray);
    const rejected = checks.find((c) => c.status === 'fail');
    expect(rejected).toMatchObject({ id: 'tls.client-cert.rejected' });
    expect(rejected?.evidence).toContainEqual({
      label: 'CAs the server accepts',
      value:
        'not visible: the server speaks TLS 1.3 only, where the CertificateRequest (the list of accepted CAs) is encrypted',
    });
  });
});
