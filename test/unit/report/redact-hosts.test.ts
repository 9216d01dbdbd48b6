import { describe, expect, it } from '@jest/globals';
import { HostRedactor, redactHosts } from '../../../src/report/redact-hosts.js';
import { failingReport, passingReport } from '../render/report-fixture.js';

const allText = (value: unknown) => JSON.stringify(value);

describe('redactHosts', () => {
  it('replaces the Cloud account id everywhere and keeps the namespace endpoint shape', () => {
    const report = redactHosts(failingReport());
    expect(allText(report)).not.toContain('a2dd6');
    expect(report.target.address?.value).toBe('billing-prod.acct-1.tmprl.cloud:7233');
    expect(report.target.namespace?.value).toBe('billing-prod.acct-1');
    expect(report.rootCause?.message).toBe('Server certificate does not cover billing-prod.acct-1.tmprl.cloud');
  });

  it('gives the same host the same placeholder in every field, and different hosts different ones', () => {
    const report = redactHosts(failingReport());
    const tls = report.stages.find((s) => s.id === 'tls')?.checks[0];
    const value = (label: string) => tls?.evidence.find((e) => e.label === label)?.value;
    expect(value('subject')).toBe('CN=host-1');
    expect(value('SANs')).toBe('DNS:host-1, DNS:*.host-2');
    expect(allText(report)).not.toMatch(/acme-corp/);
  });

  it('replaces public IPs and keeps private, loopback and Temporal public names', () => {
    const report = redactHosts(failingReport());
    const dns = report.stages.find((s) => s.id === 'dns')?.checks[0];
    expect(dns?.evidence).toEqual([
      { label: 'CNAME', value: 'aws-us-east-1.region.tmprl.cloud' },
      { label: 'A', value: 'ip-1, 10.1.2.3' },
      { label: 'AAAA', value: 'ip-2' },
    ]);
    expect(redactHosts(passingReport()).stages[0]?.checks[0]?.message).toBe('Connected to 127.0.0.1:7233');
  });

  it('leaves check ids, file names, fingerprints, versions and dates alone', () => {
    const original = failingReport();
    const report = redactHosts(original);
    expect(report.stages.map((s) => s.checks.map((c) => c.id))).toEqual(
      original.stages.map((s) => s.checks.map((c) => c.id))
    );
    expect(report.environment).toEqual(original.environment);
    expect(report.startedAt).toBe(original.startedAt);
    const tls = report.stages.find((s) => s.id === 'tls')?.checks[0];
    expect(tls?.evidence.find((e) => e.label === 'sha256')?.value).toMatch(/^AB:CD:EF/);
    const redactor = new HostRedactor();
    for (const text of [
      'client.pem and temporal.toml',
      'tls.server-name.mismatch',
      'v1.24.0 at 04:27:29',
      'see docs.temporal.io',
      'host.docker.internal:7233',
    ]) {
      expect(redactor.redactText(text)).toBe(text);
    }
  });

  it('replaces a single-label host named by the address setting, but not words that contain it', () => {
    const report = passingReport();
    report.target.address = { value: 'temporal-frontend:7233', source: 'flag --address' };
    report.stages[0]!.checks[0]!.message =
      'Connected to temporal-frontend:7233 (temporal-frontend.svc.cluster.local); temporal-frontend-2 differs';
    const redacted = redactHosts(report);
    expect(redacted.target.address?.value).toBe('host-1:7233');
    expect(redacted.stages[0]?.checks[0]?.message).toBe(
      'Connected to host-1:7233 (host-2); temporal-frontend-2 differs'
    );
  });

  it('keeps placeholders stable across the reports of one run and does not change its input', () => {
    const redactor = new HostRedactor();
    const first = failingReport();
    const before = allText(first);
    const a = redactor.redactReport(first);
    const b = redactor.redactReport(failingReport());
    expect(allText(a)).toBe(allText(b));
    expect(allText(first)).toBe(before);
  });

  it('replaces hosts inside URLs and e-mail addresses', () => {
    const redactor = new HostRedactor();
    expect(redactor.redactText('https://codec.payments.io/decode and ops@payments.io')).toBe(
      'https://host-1/decode and ops@host-2'
    );
  });
});
