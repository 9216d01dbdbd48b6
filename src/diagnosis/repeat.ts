// --repeat N: run the whole pipeline N times, one attempt after another, and report intermittent failures. The report
// shows the first failing attempt in full (else the last), plus a `repeat` summary; when some attempts failed and some
// did not, the failing stage gets a `<stage>.attempts.flaky` fail ahead of its own findings, so it is the root cause.
import type { DoctorOptions } from '../options.js';
import type { RepeatStage, RepeatSummary, Report } from '../report/model.js';
import { runDiagnosis } from './diagnose.js';
import { attachSecrets } from '../text/secret-registry.js';
import { fail, stageStatus } from '../pipeline/check.js';
import { findRootCause, overallStatus } from '../report/verdict.js';
import type { ProgressEvent, StageId } from '../facts.js';

/** Attempts listed one by one in the flaky check's evidence; the repeat summary has all of them. */
const EVIDENCE_ATTEMPTS = 20;

/** What tends to change between attempts at each stage, for the fix of a flaky finding. */
const INTERMITTENT_CAUSES: Partial<Record<StageId, string>> = {
  dns: 'DNS answers that change between attempts (round-robin records, split-horizon DNS, a High Availability failover CNAME with a 15 s TTL)',
  tcp: 'a load balancer member or server instance that is down, a connection limit, or a firewall that drops some flows',
  tls: 'load balancer members that present different certificates or TLS settings',
  grpc: 'a frontend instance that is restarting or overloaded, or a proxy that drops HTTP/2 streams',
  namespace: 'rate limiting, a frontend instance that is restarting, or credentials that are rotating',
};

export async function runRepeated(
  options: DoctorOptions,
  attempts: number,
  onEvent?: (event: ProgressEvent) => void
): Promise<Report> {
  const reports: Report[] = [];
  for (let i = 0; i < attempts; i++) {
    // The SDK's own connect is slow to fail; one failing attempt's "what your SDK says" is enough.
    const sdkProbe = options.sdkProbe && !reports.some((r) => r.status === 'fail');
    reports.push(await runDiagnosis({ ...options, sdkProbe }, onEvent));
  }
  return attachSecrets(options.secrets.scrubDeep(summarizeAttempts(reports)), options.secrets);
}

/** Pure: N attempt reports → one report with a repeat summary (and a flaky finding when the attempts disagree). */
export function summarizeAttempts(reports: Report[]): Report {
  const first = reports[0];
  if (!first) throw new Error('summarizeAttempts needs at least one report');
  const failedIndex = reports.findIndex((r) => r.status === 'fail');
  const shownIndex = failedIndex >= 0 ? failedIndex : reports.length - 1;
  const shown = reports[shownIndex] as Report;
  const failed = reports.filter((r) => r.status === 'fail').length;
  const repeat: RepeatSummary = {
    attempts: reports.length,
    shown: shownIndex + 1,
    results: reports.map((r, i) => ({
      attempt: i + 1,
      status: r.status,
      rootCause: r.rootCause ? { stage: r.rootCause.stage, check: r.rootCause.check } : null,
      durationMs: r.durationMs,
    })),
    stages: shown.stages.map((s) => repeatStage(s.id, reports)),
    flaky: failed > 0 && failed < reports.length,
  };
  const stages = repeat.flaky && shown.rootCause ? withFlakyCheck(shown, repeat) : shown.stages;
  return {
    ...shown,
    startedAt: first.startedAt,
    durationMs: reports.reduce((sum, r) => sum + r.durationMs, 0),
    status: overallStatus(stages),
    rootCause: findRootCause(stages),
    stages,
    repeat,
  };
}

function withFlakyCheck(shown: Report, repeat: RepeatSummary): Report['stages'] {
  const root = shown.rootCause;
  if (!root) return shown.stages;
  const failedHere = repeat.stages.find((s) => s.id === root.stage)?.failed ?? 0;
  const evidence = repeat.results.slice(0, EVIDENCE_ATTEMPTS).map((r) => ({
    label: `attempt ${r.attempt}`,
    value: `${r.status}${r.rootCause ? ` at ${r.rootCause.stage} (${r.rootCause.check})` : ''}, ${r.durationMs} ms`,
  }));
  if (repeat.results.length > EVIDENCE_ATTEMPTS)
    evidence.push({ label: 'more', value: `${repeat.results.length - EVIDENCE_ATTEMPTS} attempts not listed` });
  const causes = INTERMITTENT_CAUSES[root.stage];
  const flaky = fail(
    `${root.stage}.attempts.flaky`,
    `Intermittent: ${failedHere} of ${repeat.attempts} attempts failed at ${root.stage} (${root.check}: ${root.message})`,
    {
      evidence,
      fix: `${root.fix ? `${root.fix} ` : ''}The failure comes and goes, so look at what differs between attempts${causes ? `: ${causes}` : ''}.`,
    }
  );
  return shown.stages.map((stage) => {
    if (stage.id !== root.stage) return stage;
    const checks = [flaky, ...stage.checks];
    return { ...stage, checks, status: stageStatus(checks) };
  });
}

/** One stage over all attempts: where it failed, and how long it took where it ran. */
export function repeatStage(id: StageId, reports: Report[]): RepeatStage {
  const failedAttempts = reports.flatMap((r, i) =>
    r.stages.some((t) => t.id === id && t.status === 'fail') ? [i + 1] : []
  );
  const times = reports
    .flatMap((r) => r.stages.filter((t) => t.id === id && t.status !== 'skip').map((t) => t.durationMs))
    .sort((a, b) => a - b);
  const stage: RepeatStage = { id, failed: failedAttempts.length, failedAttempts };
  if (times.length > 0) {
    stage.latencyMs = {
      min: times[0] as number,
      median: percentile(times, 50),
      p95: percentile(times, 95),
      max: times[times.length - 1] as number,
    };
  }
  return stage;
}

/** Nearest-rank percentile of sorted values (with 5 attempts, p95 is the slowest: no interpolation invents a time). */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] as number;
}
