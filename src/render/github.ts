// GitHub Actions (GITHUB_ACTIONS=true): workflow-command annotations (`::error title=…::…`) that GitHub shows on the
// run and the pull request, and a compact Markdown job summary for $GITHUB_STEP_SUMMARY. The CLI writes annotations
// to stderr in every output mode (the runner reads workflow commands from both streams; stdout stays the report).
import type { Report, FleetReport } from '../report/model.js';
import type { CheckResult } from '../pipeline/types.js';
import { STATUS_MARK, fleetTable, mdCode, mdTable, mdText, verdictLine } from './markdown.js';
import { secretsOf } from '../text/secret-registry.js';

export interface GithubOptions {
  /** Warnings are annotated as errors, as they fail the exit code. @default false */
  strict?: boolean;
}

/** Message escaping of @actions/core (command.ts escapeData): %, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property escaping of @actions/core (escapeProperty): the message rules plus ':' and ','. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(level: 'error' | 'warning' | 'notice', title: string, message: string): string {
  return `::${level} title=${escapeProperty(title)}::${escapeData(message)}`;
}

function checkAnnotations(report: Report, strict: boolean, label: string): string[] {
  const checks = report.stages.flatMap((s) => s.checks).filter((c) => c.status === 'fail' || c.status === 'warn');
  // The root cause first: GitHub shows only the first few annotations of each level per step.
  const rootId = report.rootCause?.check;
  checks.sort((a, b) => Number(b.id === rootId) - Number(a.id === rootId));
  const lines = checks.map((check: CheckResult) => {
    const level = check.status === 'fail' || strict ? 'error' : 'warning';
    const message = check.id === rootId && report.rootCause ? report.rootCause.message : check.message;
    return annotation(
      level,
      `temporal-doctor${label}: ${check.id}`,
      check.fix ? `${message}\nFix: ${check.fix}` : message
    );
  });
  if (!lines.length) lines.push(annotation('notice', `temporal-doctor${label}`, 'All checks passed'));
  return lines;
}

/** One workflow command per failed or warned check (or one notice when all passed), newline-terminated. */
export function renderGithubAnnotations(input: Report, options: GithubOptions = {}): string {
  const secrets = secretsOf(input);
  const lines = checkAnnotations(secrets.scrubDeep(input), Boolean(options.strict), '');
  return secrets.scrub(`${lines.join('\n')}\n`);
}

export function renderFleetGithubAnnotations(input: FleetReport, options: GithubOptions = {}): string {
  const secrets = secretsOf(input);
  const fleet = secrets.scrubDeep(input);
  const lines = fleet.reports.flatMap((r) =>
    checkAnnotations(r, Boolean(options.strict), ` [${r.target.profile?.value ?? '?'}]`)
  );
  return secrets.scrub(`${lines.join('\n')}\n`);
}

function summaryBody(report: Report): string[] {
  const lines = [verdictLine(report)];
  if (report.rootCause?.fix) lines.push('', `**Fix:** ${mdText(report.rootCause.fix)}`);
  for (const sdk of report.sdk) {
    if (sdk.error)
      lines.push(
        '',
        `**What your SDK says** (${mdText(sdk.package)}): ${mdCode(`${sdk.error.name}: ${sdk.error.message}`)}`
      );
  }
  lines.push(
    '',
    ...mdTable(
      ['stage', 'status', 'time', 'summary'],
      report.stages.map((s) => [
        mdText(s.title),
        STATUS_MARK[s.status],
        s.status === 'skip' ? '' : `${s.durationMs} ms`,
        mdText(
          s.skippedBecause
            ? `skipped: ${s.skippedBecause}`
            : (s.checks.find((c) => c.status === s.status)?.message ?? '')
        ),
      ])
    )
  );
  const problems = report.stages.flatMap((s) => s.checks).filter((c) => c.status === 'fail' || c.status === 'warn');
  if (problems.length) {
    lines.push(
      '',
      ...problems.map(
        (c) => `- ${STATUS_MARK[c.status]} ${mdCode(c.id)}: ${mdText(c.message)}${c.fix ? `. ${mdText(c.fix)}` : ''}`
      )
    );
  }
  if (report.repeat) {
    const failed = report.repeat.results.filter((r) => r.status === 'fail').length;
    lines.push(
      '',
      `Repeat: ${failed} of ${report.repeat.attempts} attempts failed${report.repeat.flaky ? ' (intermittent)' : ''}.`
    );
  }
  return lines;
}

/** The job summary: verdict, fix, stage table and the failed or warned checks. Full detail stays in -o markdown. */
export function renderStepSummary(input: Report): string {
  const secrets = secretsOf(input);
  const report = secrets.scrubDeep(input);
  const target = `${report.target.address?.value ?? ''} · namespace ${report.target.namespace?.value ?? ''}`;
  const lines = [`### temporal-doctor: ${STATUS_MARK[report.status]}`, '', mdText(target), '', ...summaryBody(report)];
  return secrets.scrub(`${lines.join('\n')}\n\n`);
}

export function renderFleetStepSummary(input: FleetReport): string {
  const secrets = secretsOf(input);
  const fleet = secrets.scrubDeep(input);
  const lines = [`### temporal-doctor fleet: ${STATUS_MARK[fleet.status]}`, '', ...fleetTable(fleet)];
  for (const report of fleet.reports) {
    if (report.status === 'pass') continue;
    lines.push('', `#### Profile ${mdCode(report.target.profile?.value ?? '?')}`, '', ...summaryBody(report));
  }
  return secrets.scrub(`${lines.join('\n')}\n\n`);
}
