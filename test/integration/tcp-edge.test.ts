// The tcp stage facing many DNS records, and an AAAA-only name in front of an IPv4-only server.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { tcpStage, addressesToDial, MAX_ADDRESSES_DIALLED } from '../../src/stages/tcp.js';
import { startSilentServer, type TcpServer } from '../support/servers/index.js';
import { startDnsServer, type DnsServer } from '../support/servers/dns.js';
import { makeContext } from '../support/stage-context.js';
import { runJson } from '../support/run-cli.js';

let server: TcpServer;
let dns: DnsServer;
beforeAll(async () => {
  server = await startSilentServer();
  dns = await startDnsServer({ 'v6only.example.test': { AAAA: ['::1'] } });
});
afterAll(async () => {
  await Promise.all([server.close(), dns.close()]);
});

describe('addressesToDial', () => {
  it('keeps small lists whole and samples large ones, both families kept', () => {
    const v4 = Array.from({ length: 1000 }, (_, i) => ({
      address: `127.0.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      family: 4 as const,
    }));
    expect(addressesToDial(v4.slice(0, 3))).toEqual({ dialled: v4.slice(0, 3), skipped: 0 });
    const many = addressesToDial(v4);
    expect(many.dialled).toHaveLength(MAX_ADDRESSES_DIALLED);
    expect(many.skipped).toBe(1000 - MAX_ADDRESSES_DIALLED);
    const mixed = addressesToDial([...v4, { address: '::1', family: 6 as const }]);
    expect(mixed.dialled.filter((a) => a.family === 6)).toHaveLength(1);
    expect(mixed.dialled).toHaveLength(MAX_ADDRESSES_DIALLED);
  });
});

describe('tcp stage with 1,000 records', () => {
  it('dials at most MAX_ADDRESSES_DIALLED addresses and says how many it left out', async () => {
    const addresses = Array.from({ length: 1000 }, (_, i) => ({
      address: `127.0.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      family: 4 as const,
    }));
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const before = server.connectionCount();
    try {
      const facts = {
        endpoint: {
          host: 'many.example.test',
          port: server.port,
          portDefaulted: false,
          kind: 'self-hosted' as const,
          serverName: 'many.example.test',
        },
        dns: { addresses, cnameChain: [], via: 'system' as const },
      };
      const { checks } = await tcpStage.run(makeContext<'dns' | 'endpoint'>({ facts, options: { timeoutMs: 1500 } }));
      expect(checks[0]?.id).toBe('tcp.connect.partial');
      expect(checks[0]?.evidence).toContainEqual({
        label: 'not dialled',
        value: `${1000 - MAX_ADDRESSES_DIALLED} more addresses (at most ${MAX_ADDRESSES_DIALLED} are dialled)`,
      });
    } finally {
      process.off('warning', onWarning);
    }
    expect(server.connectionCount() - before).toBeLessThanOrEqual(MAX_ADDRESSES_DIALLED);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});

describe('an AAAA-only name in front of an IPv4-only server', () => {
  it('names the address family instead of "nothing listens"', async () => {
    const { report } = await runJson([
      '--address',
      `v6only.example.test:${server.port}`,
      '--dns-server',
      dns.server,
      '--timeout',
      '1500ms',
      '--only',
      'tcp',
    ]);
    expect(report.rootCause).toMatchObject({ stage: 'tcp', check: 'tcp.connect.refused' });
    expect(report.rootCause?.message).toContain('has only AAAA (IPv6) records');
    expect(report.rootCause?.fix).toContain('add an A record for v6only.example.test');
  });
});
