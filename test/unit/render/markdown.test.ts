import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { mdCode, mdText, renderFleetMarkdown, renderMarkdown } from '../../../src/render/markdown.js';
import { summarizeAttempts } from '../../../src/diagnosis/repeat.js';
import { failingReport, fleetOf, HOSTILE, passingReport } from './report-fixture.js';

describe('renderMarkdown', () => {
  const md = renderMarkdown(failingReport());

  it('opens with the verdict, the root cause check and its fix', () => {
    expect(md.split('\n').slice(0, 5)).toEqual([
      '# temporal-doctor report: fail',
      '',
      '**❌ fail**: root cause at stage **tls**: Server certificate does not cover billing-prod.a2dd6.tmprl.cloud (`tls.server-name.mismatch`)',
      '',
      '**Fix:** Set --tls-server-name (TEMPORAL_TLS_SERVER_NAME) to a name the certificate covers.',
    ]);
  });

  it('lists tool, Node, OS and SDK versions', () => {
    expect(md).toContain('| tool | temporal-doctor 0.1.0 |');
    expect(md).toContain('| Node.js | v20.19.0 |');
    expect(md).toContain('| OS | linux-x64 |');
    expect(md).toContain('| @temporalio/client | 1.24.0 |');
  });

  it('lists every effective setting with its source, secrets only as fingerprints', () => {
    expect(md).toContain('| `address` | `billing-prod.a2dd6.tmprl.cloud:7233` | env TEMPORAL_ADDRESS |');
    expect(md).toContain('| `apiKey` | `[redacted] (48 chars, sha256 1a2b…)` | env TEMPORAL_API_KEY |');
  });

  it('has a stage table with timings and the skip reason', () => {
    expect(md).toContain(
      '| `tls` | TLS handshake | ❌ fail | 40 ms | Server certificate does not cover billing-prod.a2dd6.tmprl.cloud |'
    );
    expect(md).toContain(
      '| `grpc` | Temporal gRPC (system info) | ➖ skip |  | skipped: tls failed: Server certificate does not cover billing-prod.a2dd6.tmprl.cloud |'
    );
  });

  it('renders every check, including passes, with all evidence, the fix and the error', () => {
    expect(md).toContain('#### ✅ pass `config.resolved`');
    expect(md).toContain('#### ⚠️ warn `config.env.legacy`');
    expect(md).toContain('| CNAME | `aws-us-east-1.region.tmprl.cloud` |');
    expect(md).toContain('| SANs | `DNS:proxy.acme-corp.com, DNS:*.internal.acme-corp.com` |');
    expect(md).toContain('| sha256 | `AB:CD:EF:01');
    expect(md).toContain(
      "**Error:** `Error ERR_TLS_CERT_ALTNAME_INVALID Hostname/IP does not match certificate's altnames`"
    );
  });

  it("shows the SDK's own error and the notes", () => {
    expect(md).toContain('## What your SDK says');
    expect(md).toContain(
      '| client | @temporalio/client 1.24.0 | error | 150 ms | `ServiceError [14]: 14 UNAVAILABLE: No connection established` |  |'
    );
    expect(md).toContain('The pasted error is explained by the root cause');
  });

  it('keeps server-controlled text from becoming markup or breaking a table row', () => {
    const row = md.split('\n').find((line) => line.startsWith('| server text |'));
    expect(row).toBe(`| server text | \`\`${HOSTILE.replace(/\|/g, '\\|')}\`\` |`);
    expect(mdText('<img src=x> *a* [l](u) | _b_ NODE_EXTRA')).toBe(
      '\\<img src=x\\> \\*a\\* \\[l\\](u) \\| \\_b\\_ NODE_EXTRA'
    );
    expect(mdCode('a `b` c')).toBe('``a `b` c``');
  });

  it('scrubs a private key or bearer token that reached the report by mistake', () => {
    const keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const report = failingReport();
    report.notes.push(`leaked ${keyPem}`, 'header authorization: Bearer CANARYAPIKEY-1234567890');
    const out = renderMarkdown(report);
    expect(out).not.toContain('CANARYAPIKEY');
    for (const line of keyPem.split('\n').filter((l) => l && !l.startsWith('-----'))) expect(out).not.toContain(line);
  });

  it('adds the repeat summary when the checks ran several times', () => {
    const out = renderMarkdown(summarizeAttempts([passingReport(), failingReport(), passingReport()]));
    expect(out).toContain('## Repeat: 3 attempts, intermittent');
    expect(out).toContain('The findings above are from attempt 2.');
    expect(out).toContain('| `tls` | 40 ms | 40 ms | 40 ms | 40 ms | 2 (1 of 3) |');
  });
});

describe('renderFleetMarkdown', () => {
  it('has one summary table and a section per target', () => {
    const out = renderFleetMarkdown(fleetOf(failingReport(), passingReport('dev')));
    expect(out.split('\n').slice(0, 6)).toEqual([
      '# temporal-doctor fleet report: fail',
      '',
      '| profile | address | namespace | status | root cause |',
      '|---|---|---|---|---|',
      '| `prod` | `billing-prod.a2dd6.tmprl.cloud:7233` | `billing-prod.a2dd6` | ❌ fail | `tls.server-name.mismatch`: Server certificate does not cover billing-prod.a2dd6.tmprl.cloud |',
      '| `dev` | `localhost:7233` | `billing-prod.a2dd6` | ✅ pass |  |',
    ]);
    expect(out).toContain('## Profile `prod`');
    expect(out).toContain('## Profile `dev`');
    expect(out).toContain('### Findings');
  });
});
