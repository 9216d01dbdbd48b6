import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { tcpStage } from '../../src/stages/tcp.js';
import { startSilentServer, refusedPort, type TcpServer } from '../support/servers/index.js';
import { startDnsServer, type DnsServer } from '../support/servers/dns.js';
import { makeContext } from '../support/stage-context.js';
import { findCheck, runJson } from '../support/run-cli.js';
import type { EndpointFacts, DnsFacts } from '../../src/facts.js';

let server: TcpServer;
let closedPort: number;
let dns: DnsServer;
beforeAll(async () => {
  server = await startSilentServer();
  closedPort = await refusedPort();
  dns = await startDnsServer({ 'dual.example.test': { A: ['127.0.0.1'], AAAA: ['::1'] } });
});
afterAll(async () => {
  await Promise.all([server.close(), dns.close()]);
});

function runTcp(
  endpoint: Partial<EndpointFacts> & { port: number },
  addresses: DnsFacts['addresses'],
  env: Record<string, string> = {}
) {
  const facts = {
    endpoint: {
      host: 'localhost',
      portDefaulted: false,
      kind: 'localhost' as const,
      serverName: 'localhost',
      ...endpoint,
    },
    dns: { addresses, cnameChain: [], via: 'system' as const },
  };
  return tcpStage.run(makeContext<'dns' | 'endpoint'>({ facts, options: { timeoutMs: 1500, env } }));
}

const v4 = { address: '127.0.0.1', family: 4 as const };
const v6 = { address: '::1', family: 6 as const };

describe('tcp stage', () => {
  it('passes when every address connects and hands on the reachable ones', async () => {
    const { checks, facts } = await runTcp({ port: server.port }, [v4]);
    expect(checks[0]).toMatchObject({ id: 'tcp.connect.ok', status: 'pass' });
    expect(checks[0]?.message).toMatch(new RegExp(`^Connected to 127\\.0\\.0\\.1:${server.port} in \\d+ ms$`));
    expect(facts?.reachable).toEqual([{ address: '127.0.0.1', family: 4, connectMs: expect.any(Number) }]);
  });

  it('warns tcp.connect.partial when localhost ::1 is refused but 127.0.0.1 connects (IPv4-only server)', async () => {
    const { checks, facts } = await runTcp({ port: server.port }, [v6, v4]);
    const partial = checks[0];
    expect(partial).toMatchObject({
      id: 'tcp.connect.partial',
      status: 'warn',
      message: `[::1]:${server.port} refused; 127.0.0.1:${server.port} connected`,
    });
    expect(partial?.fix).toContain(`set --address or TEMPORAL_ADDRESS to 127.0.0.1:${server.port}`);
    expect(facts?.reachable.map((r) => r.address)).toEqual(['127.0.0.1']);
  });

  it('fails tcp.connect.refused when nothing listens, with per-address evidence', async () => {
    const { checks, facts } = await runTcp({ port: closedPort }, [v4]);
    expect(checks[0]).toMatchObject({
      id: 'tcp.connect.refused',
      status: 'fail',
      message: `Connection to localhost:${closedPort} refused: nothing listens on port ${closedPort}`,
    });
    expect(checks[0]?.evidence[0]?.label).toBe(`127.0.0.1:${closedPort}`);
    expect(checks[0]?.evidence[0]?.value).toMatch(/^refused after \d+ ms \(ECONNREFUSED\)$/);
    expect(facts).toBeUndefined();
  });

  it('suggests temporal server start-dev for localhost:7233, and host.docker.internal inside a container', async () => {
    const { checks } = await runTcp({ port: 7233 }, [v4], { KUBERNETES_SERVICE_HOST: '10.0.0.1' });
    expect(checks[0]?.id).toBe('tcp.connect.refused');
    expect(checks[0]?.fix).toContain('temporal server start-dev');
    expect(checks[0]?.fix).toContain('host.docker.internal:7233');
  });

  it('reports a timeout, with how long it waited, when the stage deadline passes before any answer', async () => {
    // Loopback only: a stage whose deadline has already passed stands in for a peer that never answers the SYN.
    const expired = new AbortController();
    expired.abort();
    const facts = {
      endpoint: {
        host: 'localhost',
        port: server.port,
        portDefaulted: false,
        kind: 'localhost' as const,
        serverName: 'localhost',
      },
      dns: { addresses: [v4], cnameChain: [], via: 'system' as const },
    };
    const { checks, facts: out } = await tcpStage.run(
      makeContext<'dns' | 'endpoint'>({ facts, options: { timeoutMs: 1500, env: {} }, signal: expired.signal })
    );
    expect(checks[0]).toMatchObject({ id: 'tcp.connect.timeout', status: 'fail' });
    expect(out).toBeUndefined();
  });
});

describe('tcp through the CLI', () => {
  it('roots a refused port in tcp', async () => {
    const { report } = await runJson(['--address', `127.0.0.1:${closedPort}`, '--timeout', '1500ms', '--no-sdk-probe']);
    expect(report.rootCause).toMatchObject({ stage: 'tcp', check: 'tcp.connect.refused' });
    expect(report.stages.find((s) => s.id === 'tls')?.status).toBe('skip');
  });

  it('warns when a name resolves to ::1 and 127.0.0.1 but only IPv4 listens', async () => {
    const { report } = await runJson([
      '--address',
      `dual.example.test:${server.port}`,
      '--dns-server',
      dns.server,
      '--timeout',
      '1500ms',
      '--only',
      'tcp',
    ]);
    expect(findCheck(report, 'tcp.connect.partial')?.status).toBe('warn');
  });
});
