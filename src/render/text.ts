// Terminal report: one line per stage, details for failures and warnings (all checks with verbose), then the verdict.
import type { ChalkInstance } from 'chalk';
import type { Report, StageReport } from '../report/model.js';
import type { CheckResult, Status } from '../pipeline/types.js';
import { keepWhole, nowrap, wrapText } from './wrap.js';

export interface PrettyOptions {
  chalk: ChalkInstance;
  verbose?: boolean;
  quiet?: boolean;
  /** Wrap lines to this many columns (a terminal's width); undefined: no wrapping (pipes, files, golden files). */
  width?: number;
}

const SYMBOL: Record<Status, string> = { pass: '✓', warn: '!', fail: '✗', skip: '–' };

/** Colours text by a status (fail red, warn yellow, pass green, skip grey). */
export function paint(chalk: ChalkInstance, status: Status, text: string): string {
  switch (status) {
    case 'pass':
      return chalk.green(text);
    case 'warn':
      return chalk.yellow(text);
    case 'fail':
      return chalk.red(text);
    default:
      return chalk.gray(text);
  }
}

export function renderStageLine(stage: StageReport, chalk: ChalkInstance): string {
  const summary = stageSummary(stage);
  const time = stage.status === 'skip' ? '' : chalk.gray(` ${nowrap(`(${stage.durationMs} ms)`)}`);
  return `${paint(chalk, stage.status, SYMBOL[stage.status])} ${chalk.bold(stage.title)}${summary ? ` — ${summary}` : ''}${time}`;
}

function stageSummary(stage: StageReport): string {
  if (stage.skippedBecause) return `skipped: ${stage.skippedBecause}`;
  const worst = stage.checks.find((c) => c.status === stage.status) ?? stage.checks[0];
  return worst?.message ?? '';
}

/** Evidence lines are indented 8 columns; a wrapped value continues at 10. */
const EVIDENCE_HANG = 10;

function renderCheck(check: CheckResult, chalk: ChalkInstance, width?: number): string[] {
  const lines = [
    `    ${paint(chalk, check.status, SYMBOL[check.status])} ${check.message} ${chalk.gray(`[${check.id}]`)}`,
  ];
  for (const e of check.evidence)
    lines.push(`        ${chalk.gray(`${e.label}:`)} ${keepWhole(e.value, width, EVIDENCE_HANG)}`);
  if (check.cause)
    lines.push(
      `        ${chalk.gray('error:')} ${[check.cause.name, check.cause.code].filter(Boolean).join(' ')} ${check.cause.message}`.trimEnd()
    );
  if (check.fix && (check.status === 'fail' || check.status === 'warn'))
    lines.push(`        ${chalk.cyan('fix:')} ${check.fix}`);
  return lines;
}

export function renderStageDetails(
  stage: StageReport,
  chalk: ChalkInstance,
  verbose = false,
  width?: number
): string[] {
  if (stage.skippedBecause) return [];
  return stage.checks
    .filter((c) => verbose || c.status === 'fail' || c.status === 'warn')
    .flatMap((c) => renderCheck(c, chalk, width));
}

/** The closing lines: root cause and fix, or the all-clear; `quiet` means nothing was printed above them. */
export function renderVerdict(report: Report, chalk: ChalkInstance, quiet = false): string[] {
  const lines: string[] = [];
  if (report.rootCause) {
    const rc = report.rootCause;
    lines.push(chalk.red.bold(`Root cause: ${rc.stage} — ${rc.message}`) + chalk.gray(` [${rc.check}]`));
    if (rc.fix) lines.push(`${chalk.cyan('Fix:')} ${rc.fix}`);
  } else if (report.status === 'warn') {
    lines.push(chalk.yellow.bold(quiet ? warningsQuietly(report) : 'No failure found, with warnings (see above).'));
  } else {
    lines.push(chalk.green.bold('All checks passed.'));
  }
  for (const sdk of report.sdk) {
    if (sdk.outcome === 'error' || sdk.outcome === 'timeout') {
      const label = sdk.stack === 'worker' ? 'What your Worker says' : 'What your SDK says';
      // Without an error text (a Worker connect that never ends), the note says what the silence means.
      const err = sdk.error
        ? `${sdk.error.name}${sdk.error.code !== undefined ? ` [${sdk.error.code}]` : ''}: ${sdk.error.message}`
        : (sdk.note ?? sdk.outcome);
      lines.push(`${chalk.gray(`${label} (${sdk.package}, after ${sdk.durationMs} ms):`)} ${err}`);
      if (sdk.loadedFrom) lines.push(chalk.gray(`  loaded from ${sdk.loadedFrom}`));
    } else if (sdk.note) {
      lines.push(chalk.gray(`${sdk.package}: ${sdk.note}`));
    }
    for (const why of sdk.refused ?? []) lines.push(chalk.yellow(`  ${sdk.stack} probe: ${why}`));
  }
  for (const note of report.notes) lines.push(note);
  if (quiet && report.repeat) lines.push(repeatHeadline(report.repeat, true));
  return lines;
}

/** `--repeat N`: how many attempts ran and how they ended, in one line. */
function repeatHeadline(repeat: NonNullable<Report['repeat']>, quiet = false): string {
  const failed = repeat.results.filter((r) => r.status === 'fail');
  const where = [...new Set(failed.map((r) => r.rootCause?.stage).filter(Boolean))].join(', ');
  const ended =
    failed.length === 0
      ? `all ${repeat.attempts} passed`
      : failed.length === repeat.attempts
        ? `all ${repeat.attempts} failed${where ? ` at ${where}` : ''}`
        : `${failed.length} of ${repeat.attempts} failed (attempt${failed.length === 1 ? '' : 's'} ${failed.map((r) => r.attempt).join(', ')}${where ? ` at ${where}` : ''})`;
  const shown = quiet ? '' : `; the findings above are from attempt ${repeat.shown}`;
  return `Repeat: ${repeat.attempts} attempts, ${ended}${shown}.`;
}

/** `--repeat N`: the headline, then each stage's time over the attempts and the attempts it failed in. */
function renderRepeat(report: Report, chalk: ChalkInstance): string[] {
  const repeat = report.repeat;
  if (!repeat) return [];
  const rows = repeat.stages
    .filter((s) => s.latencyMs || s.failed > 0)
    .map((s) => [
      s.id,
      ...(s.latencyMs
        ? [s.latencyMs.min, s.latencyMs.median, s.latencyMs.p95, s.latencyMs.max].map(String)
        : ['', '', '', '']),
      s.failed > 0 ? s.failedAttempts.join(', ') : '',
    ]);
  const header = ['stage', 'min', 'median', 'p95', 'max ms', 'failed in attempts'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Numbers right-aligned; the last column is a list, left as is.
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[0] ?? 0) : i === cells.length - 1 ? c : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return ['', chalk.bold(repeatHeadline(repeat)), `  ${chalk.gray(line(header))}`, ...rows.map((r) => `  ${line(r)}`)];
}

export function renderPretty(report: Report, options: PrettyOptions): string {
  const { chalk, width } = options;
  if (options.quiet) return wrapText(`${renderVerdict(report, chalk, true).join('\n')}\n`, width);
  const lines: string[] = [
    chalk.bold(`temporal-doctor ${report.tool.version}`) +
      chalk.gray(` — ${report.target.address?.value ?? ''} namespace ${report.target.namespace?.value ?? ''}`),
  ];
  for (const stage of report.stages) {
    lines.push(renderStageLine(stage, chalk));
    lines.push(...renderStageDetails(stage, chalk, options.verbose, width));
  }
  lines.push(...renderRepeat(report, chalk));
  lines.push('', ...renderVerdict(report, chalk));
  return wrapText(`${lines.join('\n')}\n`, width);
}

/** -q shows no findings, so the warning line names how many there are and how to see them. */
function warningsQuietly(report: Report): string {
  const warnings = report.stages.flatMap((s) => s.checks).filter((c) => c.status === 'warn').length;
  return `No failure found, with ${warnings} warning${warnings === 1 ? '' : 's'} (run without -q to see ${warnings === 1 ? 'it' : 'them'}).`;
}
