// Per-stack notes that need no network: which proxy and trust variables each stack will use.
import { describe, expect, it } from '@jest/globals';
import { judgeStacks } from '../../../src/diagnosis/stacks.js';
import { withDefaults } from '../../../src/options.js';
import { pass } from '../../../src/pipeline/check.js';
import type { StageReport } from '../../../src/report/model.js';
import { flag, makeConfig } from '../../support/stage-context.js';

const stages: StageReport[] = [
  { id: 'config', title: 'Configuration', status: 'pass', durationMs: 0, checks: [pass('config.resolved', 'ok')] },
];
const tlsConfig = makeConfig({ tls: flag(true, '--tls') });

describe('judgeStacks without a network', () => {
  it('says the Client uses lower-case https_proxy (credentials redacted) and the Worker no proxy variable', async () => {
    const env = {
      https_proxy: 'http://user:pw@proxy.corp:3128',
      HTTPS_PROXY: 'http://proxy.corp:3128',
      no_proxy: 'localhost',
    };
    const {
      notes,
      stages: out,
      sdk,
    } = await judgeStacks(stages, { config: tlsConfig }, withDefaults({ env, stack: 'client' }));
    expect(out).toBe(stages);
    expect(sdk).toEqual([]);
    expect(notes).toEqual([
      'Paths: both stacks connect directly (the Client: no_proxy entry "localhost" matches localhost)',
    ]);
    const proxied = await judgeStacks(
      stages,
      { config: tlsConfig },
      withDefaults({ env: { ...env, no_proxy: 'example.org' }, stack: 'client' })
    );
    expect(proxied.notes).toEqual([
      'Paths: the Client connects via http://user:***@proxy.corp:3128 (from https_proxy); the Worker connects direct',
    ]);
    expect(notes.join(' ')).not.toContain('pw@');
  });

  it('names the trust variables each stack reads when no CA is configured, and nothing when one is', async () => {
    const env = { NODE_EXTRA_CA_CERTS: '/etc/corp-ca.pem', SSL_CERT_FILE: '/etc/ssl/corp.pem' };
    const { notes } = await judgeStacks(
      stages,
      { config: tlsConfig, pem: { serverCaCerts: [] } },
      withDefaults({ env, stack: 'both' })
    );
    expect(notes).toContain(
      'Trust: the Client reads NODE_EXTRA_CA_CERTS=/etc/corp-ca.pem (not SSL_CERT_FILE / SSL_CERT_DIR); the Worker reads SSL_CERT_FILE=/etc/ssl/corp.pem (not NODE_EXTRA_CA_CERTS / GRPC_DEFAULT_SSL_ROOTS_FILE_PATH)'
    );
    const withCa = await judgeStacks(
      stages,
      { config: tlsConfig, pem: { serverCaPem: 'x', serverCaCerts: [] } },
      withDefaults({ env, stack: 'both' })
    );
    expect(withCa.notes).toEqual([]);
  });

  it('adds no Worker checks and runs no probe when nothing accepted a TCP connection', async () => {
    const { stages: out, sdk } = await judgeStacks(
      stages,
      { config: tlsConfig },
      withDefaults({ env: {}, stack: 'worker' })
    );
    expect(out.flatMap((s) => s.checks).map((c) => c.id)).toEqual(['config.resolved']);
    expect(sdk).toEqual([]);
  });
});
