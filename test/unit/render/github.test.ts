import { describe, expect, it } from '@jest/globals';
import {
  escapeData,
  escapeProperty,
  renderFleetGithubAnnotations,
  renderFleetStepSummary,
  renderGithubAnnotations,
  renderStepSummary,
} from '../../../src/render/github.js';
import { failingReport, fleetOf, passingReport } from './report-fixture.js';

describe('GitHub workflow-command escaping', () => {
  it('escapes %, CR and LF in messages, as @actions/core does', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
  });

  it("also escapes ':' and ',' in properties", () => {
    expect(escapeProperty('temporal-doctor: a,b %\n')).toBe('temporal-doctor%3A a%2Cb %25%0A');
  });
});

describe('renderGithubAnnotations', () => {
  it('annotates the root cause first as an error, then warnings, one command per line', () => {
    const lines = renderGithubAnnotations(failingReport()).trimEnd().split('\n');
    expect(lines).toEqual([
      '::error title=temporal-doctor%3A tls.server-name.mismatch::Server certificate does not cover billing-prod.a2dd6.tmprl.cloud%0AFix: Set --tls-server-name (TEMPORAL_TLS_SERVER_NAME) to a name the certificate covers.',
      '::warning title=temporal-doctor%3A config.env.legacy::TEMPORAL_CLI_ADDRESS is set but no SDK reads it%0AFix: Rename TEMPORAL_CLI_ADDRESS to TEMPORAL_ADDRESS.',
    ]);
  });

  it('annotates warnings as errors under --strict', () => {
    expect(renderGithubAnnotations(failingReport(), { strict: true })).toContain(
      '::error title=temporal-doctor%3A config.env.legacy::'
    );
  });

  it('leaves one notice when everything passed', () => {
    expect(renderGithubAnnotations(passingReport())).toBe('::notice title=temporal-doctor::All checks passed\n');
  });

  it('names the profile in fleet annotations', () => {
    const out = renderFleetGithubAnnotations(fleetOf(failingReport(), passingReport('dev')));
    expect(out).toContain('::error title=temporal-doctor [prod]%3A tls.server-name.mismatch::');
    expect(out).toContain('::notice title=temporal-doctor [dev]::All checks passed');
  });
});

describe('renderStepSummary', () => {
  it('shows the verdict, fix, SDK error, stage table and problem checks', () => {
    const out = renderStepSummary(failingReport());
    expect(out).toMatch(/^### temporal-doctor: ❌ fail\n/);
    expect(out).toContain('**Fix:** Set --tls-server-name');
    expect(out).toContain(
      '**What your SDK says** (@temporalio/client 1.24.0): `ServiceError: 14 UNAVAILABLE: No connection established`'
    );
    expect(out).toContain(
      '| TLS handshake | ❌ fail | 40 ms | Server certificate does not cover billing-prod.a2dd6.tmprl.cloud |'
    );
    expect(out).toContain(
      '- ⚠️ warn `config.env.legacy`: TEMPORAL_CLI_ADDRESS is set but no SDK reads it. Rename TEMPORAL_CLI_ADDRESS to TEMPORAL_ADDRESS.'
    );
  });

  it('summarises a fleet with a table and a section per target that did not pass', () => {
    const out = renderFleetStepSummary(fleetOf(failingReport(), passingReport('dev')));
    expect(out).toContain('### temporal-doctor fleet: ❌ fail');
    expect(out).toContain('| `dev` | `localhost:7233` |');
    expect(out).toContain('#### Profile `prod`');
    expect(out).not.toContain('#### Profile `dev`');
  });
});
