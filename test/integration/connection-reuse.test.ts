// Stages hand live connections on through the run scope instead of opening them again: the tcp stage's socket to the
// fastest address goes to the tls stage's first probe (unless the peer spoke or hung up meanwhile), and the grpc
// stage's SDK connection goes to the namespace stage (test/integration/namespace.test.ts checks that one).
import { describe, expect, it } from '@jest/globals';
import { runPipeline } from '../../src/pipeline/run-pipeline.js';
import { pipelineRun } from '../../src/diagnosis/select-stages.js';
import { STAGES } from '../../src/stages/index.js';
import { withDefaults } from '../../src/options.js';
import { startPlainTcpServer, startSilentServer } from '../support/servers/hostile.js';
import { startTlsServer } from '../support/servers/tls.js';
import { startTlsTerminator } from '../support/servers/tls-terminator.js';
import { startTemporalFrontend } from '../support/servers/temporal-frontend.js';
import { createTestPki } from '../support/pki.js';
import { findCheck, runJson } from '../support/run-cli.js';
import { closeAfterAll } from '../support/close-after-all.js';

const track = closeAfterAll();

const throughTls = (address: string) =>
  runPipeline(
    STAGES,
    pipelineRun(
      STAGES,
      withDefaults({ env: {}, settings: { address }, timeoutMs: 600, sdkProbe: false, only: ['tls'] })
    )
  );

const checkOf = (result: Awaited<ReturnType<typeof throughTls>>, stage: string) =>
  result.stages.find((s) => s.id === stage)?.checks[0];

describe("the tls stage's first probe", () => {
  it("reuses the tcp stage's connection: one connection for both stages", async () => {
    const silent = await track(startSilentServer());
    const result = await throughTls(silent.address);
    expect(checkOf(result, 'tcp')?.id).toBe('tcp.connect.ok');
    expect(checkOf(result, 'tls')?.evidence).toContainEqual({
      label: 'ClientHello probe',
      value: expect.stringMatching(/ sent nothing in \d+ ms$/),
    });
    expect(silent.connectionCount()).toBe(1);
  });

  it('sees what a server that speaks first sent, on the kept connection or a fresh one', async () => {
    const banner = await track(
      startPlainTcpServer((socket) => {
        socket.resume();
        socket.write('SSH-2.0-OpenSSH_9.6\r\n');
      })
    );
    const result = await throughTls(banner.address);
    // Whether the banner was already buffered when the tls stage took the connection (then it connects afresh) is a
    // matter of timing; either way the probe must see the banner first.
    expect(checkOf(result, 'tls')?.evidence).toContainEqual({
      label: 'ClientHello probe',
      value: expect.stringMatching(/answered with non-TLS bytes \(53 53 48 2d 32 2e 30 /),
    });
  });

  it('asks again on a fresh connection when the peer hung up on the kept one before the ClientHello', async () => {
    let accepted = 0;
    const hangsUpOnce = await track(
      startPlainTcpServer((socket) => {
        accepted += 1;
        if (accepted === 1) socket.end();
        else socket.resume();
      })
    );
    const result = await throughTls(hangsUpOnce.address);
    expect(checkOf(result, 'tls')?.evidence).toContainEqual({
      label: 'ClientHello probe',
      value: expect.stringMatching(/ sent nothing in \d+ ms$/),
    });
    expect(hangsUpOnce.connectionCount()).toBe(2);
  });
});

describe('the Worker view', () => {
  it("judges the chain the tls stage's handshake received instead of shaking hands again", async () => {
    const pki = await createTestPki();
    const server = await track(startTlsServer({ cert: { certPem: pki.server.certPem, keyPem: pki.server.keyPem } }));
    const { report } = await runJson(
      [
        '--address',
        `localhost:${server.port}`,
        `--tls-ca-data=${pki.ca.certPem}`,
        '--only',
        'tls',
        '--no-sdk-probe',
        '--expiry-warn-days',
        '7',
      ],
      { env: {} }
    );
    expect(findCheck(report, 'tls.server-chain.trusted')?.status).toBe('pass');
    expect(findCheck(report, 'tls.worker.server-chain.trusted')?.status).toBe('pass');
    expect(findCheck(report, 'tls.worker.alpn.h2')?.status).toBe('pass');
    expect(server.handshakes).toHaveLength(1);
  });
});

describe('a healthy TLS target', () => {
  it("costs two connections: the tcp stage's (the tls handshake reuses it) and the SDK's (the namespace stage reuses it)", async () => {
    const pki = await createTestPki();
    const backend = await track(startTemporalFrontend());
    const terminator = await track(
      startTlsTerminator({
        cert: { certPem: pki.server.certPem, keyPem: pki.server.keyPem },
        backendPort: backend.port,
      })
    );
    const { report } = await runJson(
      [
        '--address',
        `localhost:${terminator.port}`,
        `--tls-ca-data=${pki.ca.certPem}`,
        '--stack',
        'client',
        '--expiry-warn-days',
        '7',
      ],
      { env: {} }
    );
    expect(report.status).toBe('pass');
    // No HTTP/2 preface probe either: the tls stage's handshake already drew HTTP/2 frames from the server.
    expect(terminator.connectionCount()).toBe(2);
  });
});
