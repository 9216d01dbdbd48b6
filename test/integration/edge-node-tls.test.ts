// A Node TLS 1.3-only server that hangs up on a client certificate it cannot verify (no alert): the tls stage warns,
// and the grpc stage must not call the address "not a gRPC server" (ALPN h2 was agreed).
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, issueCert, type Issued } from '../support/pki.js';
import { startTlsServer } from '../support/servers/index.js';
import { closeAfterAll } from '../support/close-after-all.js';
import { findCheck, runJson } from '../support/run-cli.js';

const YEAR_AHEAD = new Date(Date.now() + 365 * 86_400_000);
const serve = closeAfterAll();
let dir: string;
let ca: Issued;
let server: Issued;
let stray: Issued;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'edge-node-tls-'));
  ca = await createCa({ notAfter: YEAR_AHEAD });
  const otherCa = await createCa({ commonName: 'Other Test CA', notAfter: YEAR_AHEAD });
  server = await issueCert(ca, {
    commonName: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    notAfter: YEAR_AHEAD,
  });
  stray = await issueCert(otherCa, {
    commonName: 'stray',
    noSan: true,
    serverAuth: false,
    clientAuth: true,
    notAfter: YEAR_AHEAD,
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('names the hang-up after the client certificate, not "not a gRPC server"', async () => {
  const node = await serve(
    startTlsServer({ cert: server, ca: ca.certPem, requireClientCert: true, minVersion: 'TLSv1.3' })
  );
  writeFileSync(join(dir, 'ca.pem'), ca.certPem);
  writeFileSync(join(dir, 'c.pem'), stray.certPem);
  writeFileSync(join(dir, 'c.key'), stray.keyPem);
  const { report } = await runJson([
    '--address',
    `127.0.0.1:${node.port}`,
    '--tls-ca-path',
    join(dir, 'ca.pem'),
    '--tls-cert-path',
    join(dir, 'c.pem'),
    '--tls-key-path',
    join(dir, 'c.key'),
    '--timeout',
    '5s',
    '--no-sdk-probe',
  ]);
  expect(findCheck(report, 'tls.client-cert.inconclusive')?.status).toBe('warn');
  expect(report.rootCause).toMatchObject({ stage: 'grpc', check: 'grpc.transport.closed-after-handshake' });
  expect(report.rootCause?.message).not.toContain('not a gRPC server');
  expect(report.rootCause?.fix).toContain('refuses the client certificate');
});
