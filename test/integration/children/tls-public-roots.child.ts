// Run by tls-public-roots.test.ts in a child jest whose NODE_EXTRA_CA_CERTS holds the test CA, so that CA counts as
// one of Node's default ("public") roots, which can only be set at process start.
import { afterAll, expect, it } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import { tlsStage } from '../../../src/stages/tls/index.js';
import { flag, makeConfig, makeContext } from '../../support/stage-context.js';
import { startTlsServer, type TlsServer } from '../../support/servers/index.js';

const serverCert = { certPem: process.env.CHILD_SERVER_CERT ?? '', keyPem: process.env.CHILD_SERVER_KEY ?? '' };
const configuredCa = process.env.CHILD_CONFIGURED_CA ?? '';
let server: TlsServer | undefined;
afterAll(async () => {
  await server?.close();
});

it('proves the configured CA replaced the public roots the server chains to', async () => {
  server = await startTlsServer({ cert: serverCert });
  const config = makeConfig({
    address: flag(`localhost:${server.port}`, '--address'),
    tls: flag(true, '--tls'),
    serverCa: {
      value: { kind: 'path', path: 'my-client-ca.pem' },
      source: { kind: 'env', name: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH' },
    },
  });
  const ctx = makeContext<'config' | 'pem' | 'endpoint' | 'tcp'>({
    facts: {
      config,
      pem: { serverCaPem: configuredCa, serverCaCerts: [new X509Certificate(configuredCa)], clientChain: [] },
      endpoint: {
        host: 'localhost',
        port: server.port,
        portDefaulted: false,
        kind: 'localhost',
        serverName: 'localhost',
      },
      tcp: { reachable: [{ address: '127.0.0.1', family: 4, connectMs: 1 }], port: server.port, attempts: [] },
    },
    options: { timeoutMs: 3000 },
  });
  const { checks } = await tlsStage.run(ctx);
  const untrusted = checks.find((c) => c.id === 'tls.server-chain.untrusted');
  expect(untrusted?.message).toBe(
    'Server certificate chains to a public root, but TEMPORAL_TLS_SERVER_CA_CERT_PATH replaces the public roots with its own CA'
  );
  expect(untrusted?.fix).toContain('Remove TEMPORAL_TLS_SERVER_CA_CERT_PATH');
  expect(untrusted?.evidence).toContainEqual({
    label: 'with default roots',
    value: expect.stringMatching(/^verifies/),
  });
});
