// Hand-built reports for renderer tests: a Cloud target failing at TLS, with a warning, skips, DNS and certificate
// evidence, an SDK error and hostile text (markup, XML specials, control characters) where servers control it.
import type { Report, FleetReport } from '../../../src/report/model.js';
import { fail, pass, skip, warn } from '../../../src/pipeline/check.js';

export const HOSTILE = 'server said <b>"hi"</b> & \'bye\' | *x* `y` [z](http://evil.example) ]]> %0A';

export function failingReport(): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'temporal-doctor', version: '0.1.0' },
    startedAt: '2026-01-02T03:04:05.000Z',
    durationMs: 1234,
    environment: { node: 'v20.19.0', platform: 'linux-x64', sdk: { '@temporalio/client': '1.24.0' } },
    target: {
      address: { value: 'billing-prod.a2dd6.tmprl.cloud:7233', source: 'env TEMPORAL_ADDRESS' },
      namespace: { value: 'billing-prod.a2dd6', source: 'profile profile.prod.namespace' },
      tls: { value: 'true', source: 'derived' },
      profile: { value: 'prod', source: 'flag --profile' },
      apiKey: { value: '[redacted] (48 chars, sha256 1a2b…)', source: 'env TEMPORAL_API_KEY' },
    },
    status: 'fail',
    rootCause: {
      stage: 'tls',
      check: 'tls.server-name.mismatch',
      message: 'Server certificate does not cover billing-prod.a2dd6.tmprl.cloud',
      fix: 'Set --tls-server-name (TEMPORAL_TLS_SERVER_NAME) to a name the certificate covers.',
    },
    stages: [
      {
        id: 'config',
        title: 'Configuration',
        status: 'warn',
        durationMs: 2,
        checks: [
          pass('config.resolved', 'Target billing-prod.a2dd6.tmprl.cloud:7233, namespace billing-prod.a2dd6', {
            durationMs: 1,
          }),
          warn('config.env.legacy', 'TEMPORAL_CLI_ADDRESS is set but no SDK reads it', {
            fix: 'Rename TEMPORAL_CLI_ADDRESS to TEMPORAL_ADDRESS.',
          }),
        ],
      },
      {
        id: 'dns',
        title: 'DNS resolution',
        status: 'pass',
        durationMs: 12,
        checks: [
          pass('dns.lookup.resolved', 'billing-prod.a2dd6.tmprl.cloud resolves to 2 addresses', {
            evidence: [
              { label: 'CNAME', value: 'aws-us-east-1.region.tmprl.cloud' },
              { label: 'A', value: '34.200.1.2, 10.1.2.3' },
              { label: 'AAAA', value: '2600:1f18::1' },
            ],
            durationMs: 12,
          }),
        ],
      },
      {
        id: 'tls',
        title: 'TLS handshake',
        status: 'fail',
        durationMs: 40,
        checks: [
          fail('tls.server-name.mismatch', 'Server certificate does not cover billing-prod.a2dd6.tmprl.cloud', {
            fix: 'Set --tls-server-name (TEMPORAL_TLS_SERVER_NAME) to a name the certificate covers.',
            evidence: [
              { label: 'subject', value: 'CN=proxy.acme-corp.com' },
              { label: 'issuer', value: 'CN=Acme Corp Root CA' },
              { label: 'SANs', value: 'DNS:proxy.acme-corp.com, DNS:*.internal.acme-corp.com' },
              { label: 'valid', value: '2026-01-01T00:00:00Z to 2027-01-01T00:00:00Z' },
              {
                label: 'sha256',
                value:
                  'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89',
              },
              { label: 'server text', value: HOSTILE },
            ],
            cause: {
              name: 'Error',
              code: 'ERR_TLS_CERT_ALTNAME_INVALID',
              message: "Hostname/IP does not match certificate's altnames",
            },
            durationMs: 40,
          }),
        ],
      },
      {
        id: 'grpc',
        title: 'Temporal gRPC (system info)',
        status: 'skip',
        durationMs: 0,
        skippedBecause: 'tls failed: Server certificate does not cover billing-prod.a2dd6.tmprl.cloud',
        checks: [skip('grpc.skipped', 'tls failed: Server certificate does not cover billing-prod.a2dd6.tmprl.cloud')],
      },
    ],
    sdk: [
      {
        stack: 'client',
        package: '@temporalio/client 1.24.0',
        outcome: 'error',
        durationMs: 150,
        error: { name: 'ServiceError', code: 14, message: '14 UNAVAILABLE: No connection established' },
      },
    ],
    notes: ['The pasted error is explained by the root cause'],
  };
}

export function passingReport(profile = 'dev'): Report {
  const report = failingReport();
  return {
    ...report,
    target: {
      ...report.target,
      profile: { value: profile, source: 'flag --profiles' },
      address: { value: 'localhost:7233', source: 'default' },
    },
    status: 'pass',
    rootCause: null,
    stages: [
      {
        id: 'tcp',
        title: 'TCP connect',
        status: 'pass',
        durationMs: 3,
        checks: [pass('tcp.connect.ok', 'Connected to 127.0.0.1:7233', { durationMs: 3 })],
      },
    ],
    sdk: [],
    notes: [],
  };
}

export function fleetOf(...reports: Report[]): FleetReport {
  return {
    schemaVersion: 1,
    fleet: true,
    tool: { name: 'temporal-doctor', version: '0.1.0' },
    startedAt: '2026-01-02T03:04:05.000Z',
    durationMs: 99,
    status: reports.some((r) => r.status === 'fail')
      ? 'fail'
      : reports.some((r) => r.status === 'warn')
        ? 'warn'
        : 'pass',
    reports,
  };
}
