import { describe, expect, it } from '@jest/globals';
import { percentile, repeatStage, summarizeAttempts } from '../../../src/diagnosis/repeat.js';
import type { Report } from '../../../src/report/model.js';
import { failingReport, passingReport } from '../render/report-fixture.js';

const findCheck = (report: Report, id: string) => report.stages.flatMap((s) => s.checks).find((c) => c.id === id);

describe('summarizeAttempts', () => {
  it('reports an intermittent failure as a flaky fail at the failing stage, ahead of its findings', () => {
    const report = summarizeAttempts([
      passingReport(),
      failingReport(),
      passingReport(),
      failingReport(),
      passingReport(),
    ]);
    expect(report.status).toBe('fail');
    expect(report.rootCause?.check).toBe('tls.attempts.flaky');
    expect(report.rootCause?.stage).toBe('tls');
    expect(report.rootCause?.message).toBe(
      'Intermittent: 2 of 5 attempts failed at tls (tls.server-name.mismatch: Server certificate does not cover billing-prod.a2dd6.tmprl.cloud)'
    );
    const flaky = findCheck(report, 'tls.attempts.flaky');
    expect(flaky?.fix).toMatch(
      /^Set --tls-server-name .* The failure comes and goes, so look at what differs between attempts: load balancer members/
    );
    expect(flaky?.evidence[1]).toEqual({
      label: 'attempt 2',
      value: 'fail at tls (tls.server-name.mismatch), 1234 ms',
    });
    expect(report.stages.find((s) => s.id === 'tls')?.checks.map((c) => c.id)).toEqual([
      'tls.attempts.flaky',
      'tls.server-name.mismatch',
    ]);
  });

  it('shows the first failing attempt and sums the durations', () => {
    const report = summarizeAttempts([passingReport(), failingReport(), failingReport(), passingReport()]);
    expect(report.repeat).toMatchObject({ attempts: 4, shown: 2, flaky: true });
    expect(report.repeat?.stages.find((s) => s.id === 'tls')).toEqual({
      id: 'tls',
      failed: 2,
      failedAttempts: [2, 3],
      latencyMs: { min: 40, median: 40, p95: 40, max: 40 },
    });
    expect(report.durationMs).toBe(4 * 1234);
  });

  it('adds no flaky finding when every attempt failed the same way', () => {
    const report = summarizeAttempts([failingReport(), failingReport(), failingReport()]);
    expect(report.repeat?.flaky).toBe(false);
    expect(report.rootCause?.check).toBe('tls.server-name.mismatch');
    expect(report.repeat?.results.map((r) => r.rootCause?.check)).toEqual(Array(3).fill('tls.server-name.mismatch'));
  });

  it('passes with a summary when every attempt passed', () => {
    const report = summarizeAttempts([passingReport(), passingReport()]);
    expect(report.status).toBe('pass');
    expect(report.repeat).toMatchObject({ attempts: 2, shown: 2, flaky: false, stages: [{ id: 'tcp', failed: 0 }] });
  });
});

describe('per-stage latency over the attempts', () => {
  it('takes nearest-rank percentiles: no interpolated time that no attempt took', () => {
    expect(percentile([5], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4, 100], 95)).toBe(100);
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(twenty, 95)).toBe(19);
    expect(percentile(twenty, 50)).toBe(10);
  });

  it('counts only the attempts in which the stage ran, and names the attempts it failed in', () => {
    const timed = (ms: number, status: 'pass' | 'fail' | 'skip') => {
      const report = failingReport();
      return {
        ...report,
        stages: report.stages.map((s) => (s.id === 'tls' ? { ...s, durationMs: ms, status } : s)),
      };
    };
    const stage = repeatStage('tls', [timed(30, 'pass'), timed(0, 'skip'), timed(90, 'fail'), timed(10, 'pass')]);
    expect(stage).toEqual({
      id: 'tls',
      failed: 1,
      failedAttempts: [3],
      latencyMs: { min: 10, median: 30, p95: 90, max: 90 },
    });
    expect(repeatStage('tls', [timed(0, 'skip')]).latencyMs).toBeUndefined();
  });
});
