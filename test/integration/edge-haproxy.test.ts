// Real haproxy with its backend down: TCP mode (TLS passthrough) accepts and then closes without a TLS answer; HTTP
// mode with h2 answers 503. Both must name the load balancer with no healthy backend.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, issueCert, type Issued } from '../support/pki.js';
import { startHaproxy } from '../support/thirdparty/haproxy.js';
import { refusedPort } from '../support/servers/index.js';
import { closeAfterAll } from '../support/close-after-all.js';
import { runJson } from '../support/run-cli.js';

const YEAR_AHEAD = new Date(Date.now() + 365 * 86_400_000);
const serve = closeAfterAll();
let dir: string;
let server: Issued;
let caFile: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'edge-haproxy-'));
  const ca = await createCa({ notAfter: YEAR_AHEAD });
  server = await issueCert(ca, {
    commonName: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    notAfter: YEAR_AHEAD,
  });
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca.certPem);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (port: number) =>
  runJson(['--address', `127.0.0.1:${port}`, '--tls-ca-path', caFile, '--timeout', '5s', '--no-sdk-probe']);

describe('haproxy with its backend down', () => {
  it('TCP mode: tls.handshake.closed, and the fix names a load balancer with no healthy backend', async () => {
    const haproxy = await serve(startHaproxy({ backend: `127.0.0.1:${await refusedPort()}`, mode: 'tcp' }));
    const started = Date.now();
    const { report } = await run(haproxy.port);
    expect(report.rootCause).toMatchObject({ stage: 'tls' });
    expect(report.rootCause?.check).toMatch(/^tls\.handshake\.(closed|reset)$/);
    expect(report.rootCause?.fix).toContain('no healthy backend');
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('HTTP mode with h2: grpc.edge.no-backend with its 503 page', async () => {
    const haproxy = await serve(
      startHaproxy({ backend: `127.0.0.1:${await refusedPort()}`, mode: 'http', tls: server })
    );
    const { report } = await run(haproxy.port);
    expect(report.rootCause).toMatchObject({ stage: 'grpc', check: 'grpc.edge.no-backend' });
    expect(report.rootCause?.message).toContain('HTTP 503');
    expect(report.rootCause?.message).toContain('No server is available to handle this request');
  });

  it('HTTP mode with h2 and the SDK probe: the SDK section shows its 503, not its deadline', async () => {
    const haproxy = await serve(
      startHaproxy({ backend: `127.0.0.1:${await refusedPort()}`, mode: 'http', tls: server })
    );
    const { report } = await runJson([
      '--address',
      `127.0.0.1:${haproxy.port}`,
      '--tls-ca-path',
      caFile,
      '--timeout',
      '5s',
      '--stack',
      'client',
    ]);
    expect(report.rootCause).toMatchObject({ stage: 'grpc', check: 'grpc.edge.no-backend' });
    expect(report.sdk[0]).toMatchObject({ stack: 'client', outcome: 'error', error: { code: 14 } });
    expect(report.sdk[0]?.error?.message).toContain('Received HTTP status code 503');
    expect(report.sdk[0]?.note).toContain('still retrying');
  });

  it('TCP mode with the SDK probe: the SDK section shows its channel failure, not its deadline', async () => {
    const haproxy = await serve(startHaproxy({ backend: `127.0.0.1:${await refusedPort()}`, mode: 'tcp' }));
    const { report } = await runJson([
      '--address',
      `127.0.0.1:${haproxy.port}`,
      '--tls-ca-path',
      caFile,
      '--timeout',
      '5s',
      '--stack',
      'client',
    ]);
    expect(report.rootCause).toMatchObject({ stage: 'tls' });
    expect(report.sdk[0]).toMatchObject({ stack: 'client', outcome: 'error', error: { code: 14 } });
    expect(report.sdk[0]?.error?.message).toContain('No connection established. Last error:');
    expect(report.sdk[0]?.note).toContain('Failed to connect before the deadline');
  });
});
