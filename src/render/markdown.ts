// Support-ticket report (-o markdown, --report-file): everything the JSON holds, readable as is, pasteable into a
// GitHub issue or a support ticket. It adds nothing the JSON lacks, so the JSON's no-leak guarantees hold here too.
import type { Report, StageReport, FleetReport } from '../report/model.js';
import type { CheckResult, Status } from '../pipeline/types.js';
import { secretsOf } from '../text/secret-registry.js';

export const STATUS_MARK: Record<Status, string> = {
  pass: '✅ pass',
  warn: '⚠️ warn',
  fail: '❌ fail',
  skip: '➖ skip',
};

/** Escapes what Markdown would read as markup (emphasis, links, HTML, tables), so server text stays text. */
export function mdText(text: string): string {
  return text
    .replace(/[\\`*[\]<>|~]/g, '\\$&')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_') // intraword _ (NODE_EXTRA_CA_CERTS) is never emphasis
    .replace(/^#/, '\\#');
}

/** A code span that survives any backticks inside; `|` is escaped because GFM splits table cells on it even there. */
export function mdCode(text: string): string {
  if (!text) return '';
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

export function mdTable(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

function heading(level: number, text: string): string {
  return `${'#'.repeat(Math.min(6, level))} ${text}`;
}

export function verdictLine(report: Report): string {
  const rc = report.rootCause;
  if (rc)
    return `**${STATUS_MARK.fail}**: root cause at stage **${rc.stage}**: ${mdText(rc.message)} (${mdCode(rc.check)})`;
  if (report.status === 'warn') return `**${STATUS_MARK.warn}**: no failure found, with warnings`;
  return `**${STATUS_MARK.pass}**: all checks passed`;
}

function renderSdk(report: Report, level: number): string[] {
  if (!report.sdk.length) return [];
  const rows = report.sdk.map((sdk) => [
    sdk.stack,
    mdText(sdk.package),
    sdk.outcome,
    `${sdk.durationMs} ms`,
    sdk.error
      ? mdCode(`${sdk.error.name}${sdk.error.code !== undefined ? ` [${sdk.error.code}]` : ''}: ${sdk.error.message}`)
      : '',
    mdText(
      [sdk.note, sdk.loadedFrom && `loaded from ${sdk.loadedFrom}`, ...(sdk.refused ?? [])].filter(Boolean).join('; ')
    ),
  ]);
  return [
    '',
    heading(level, 'What your SDK says'),
    '',
    ...mdTable(['stack', 'package', 'outcome', 'after', 'error', 'note'], rows),
  ];
}

function renderEnvironment(report: Report, level: number): string[] {
  const rows: string[][] = [
    ['tool', mdText(`${report.tool.name} ${report.tool.version}`)],
    ['Node.js', mdText(report.environment.node)],
    ['OS', mdText(report.environment.platform)],
    ...Object.entries(report.environment.sdk).map(([pkg, version]) => [mdText(pkg), mdText(version)]),
    ['started', mdText(report.startedAt)],
    ['duration', `${report.durationMs} ms`],
  ];
  if (!Object.keys(report.environment.sdk).length) rows.splice(3, 0, ['Temporal SDK', 'not found in the project']);
  return ['', heading(level, 'Environment'), '', ...mdTable(['', ''], rows)];
}

function renderSettings(report: Report, level: number): string[] {
  const entries = Object.entries(report.target);
  if (!entries.length)
    return ['', heading(level, 'Effective settings'), '', 'The settings could not be resolved (see the config stage).'];
  const rows = entries.map(([name, setting]) => [mdCode(name), mdCode(setting.value), mdText(setting.source)]);
  return ['', heading(level, 'Effective settings'), '', ...mdTable(['setting', 'value', 'source'], rows)];
}

function renderStageTable(report: Report, level: number): string[] {
  const rows = report.stages.map((stage) => [
    mdCode(stage.id),
    mdText(stage.title),
    STATUS_MARK[stage.status],
    stage.status === 'skip' ? '' : `${stage.durationMs} ms`,
    mdText(
      stage.skippedBecause
        ? `skipped: ${stage.skippedBecause}`
        : (stage.checks.find((c) => c.status === stage.status)?.message ?? '')
    ),
  ]);
  return ['', heading(level, 'Stages'), '', ...mdTable(['stage', 'title', 'status', 'time', 'summary'], rows)];
}

function renderCheck(check: CheckResult, level: number): string[] {
  const lines = ['', heading(level, `${STATUS_MARK[check.status]} ${mdCode(check.id)}`), '', mdText(check.message)];
  if (check.fix && (check.status === 'fail' || check.status === 'warn'))
    lines.push('', `**Fix:** ${mdText(check.fix)}`);
  if (check.cause) {
    const cause =
      `${[check.cause.name, check.cause.code].filter((v) => v !== undefined).join(' ')} ${check.cause.message}`.trim();
    lines.push('', `**Error:** ${mdCode(cause)}`);
  }
  if (check.evidence.length) {
    lines.push(
      '',
      ...mdTable(
        ['evidence', 'value'],
        check.evidence.map((e) => [mdText(e.label), mdCode(e.value)])
      )
    );
  }
  if (check.durationMs) lines.push('', `_${check.durationMs} ms_`);
  return lines;
}

function renderStageFindings(stage: StageReport, level: number): string[] {
  const time = stage.status === 'skip' ? '' : `, ${stage.durationMs} ms`;
  const lines = [
    '',
    heading(level, `${mdText(stage.title)} (${mdCode(stage.id)}): ${STATUS_MARK[stage.status]}${time}`),
  ];
  if (stage.skippedBecause) return [...lines, '', `Skipped: ${mdText(stage.skippedBecause)}`];
  return [...lines, ...stage.checks.flatMap((check) => renderCheck(check, level + 1))];
}

function renderRepeat(report: Report, level: number): string[] {
  const repeat = report.repeat;
  if (!repeat) return [];
  const lines = [
    '',
    heading(level, `Repeat: ${repeat.attempts} attempts${repeat.flaky ? ', intermittent' : ''}`),
    '',
    `The findings above are from attempt ${repeat.shown}.`,
    '',
    ...mdTable(
      ['attempt', 'status', 'failed at', 'time'],
      repeat.results.map((r) => [
        String(r.attempt),
        STATUS_MARK[r.status],
        r.rootCause ? mdCode(r.rootCause.check) : '',
        `${r.durationMs} ms`,
      ])
    ),
  ];
  const timed = repeat.stages.filter((s) => s.latencyMs || s.failed > 0);
  if (timed.length) {
    lines.push(
      '',
      ...mdTable(
        ['stage', 'min', 'median', 'p95', 'max', 'failed in attempts'],
        timed.map((s) => [
          mdCode(s.id),
          ...(s.latencyMs
            ? [s.latencyMs.min, s.latencyMs.median, s.latencyMs.p95, s.latencyMs.max].map((ms) => `${ms} ms`)
            : ['', '', '', '']),
          s.failed > 0 ? `${s.failedAttempts.join(', ')} (${s.failed} of ${repeat.attempts})` : '',
        ])
      )
    );
  }
  return lines;
}

/** The body of one report, headings starting at `level` (2 for a single report, 3 inside a fleet section). */
export function renderReportBody(report: Report, level: number): string[] {
  const lines = [verdictLine(report)];
  if (report.rootCause?.fix) lines.push('', `**Fix:** ${mdText(report.rootCause.fix)}`);
  for (const note of report.notes) lines.push('', mdText(note));
  lines.push(...renderSdk(report, level));
  lines.push(...renderRepeat(report, level));
  lines.push(...renderEnvironment(report, level));
  lines.push(...renderSettings(report, level));
  lines.push(...renderStageTable(report, level));
  lines.push('', heading(level, 'Findings'));
  for (const stage of report.stages) lines.push(...renderStageFindings(stage, level + 1));
  return lines;
}

export function renderMarkdown(input: Report): string {
  const secrets = secretsOf(input);
  const report = secrets.scrubDeep(input);
  const lines = [`# temporal-doctor report: ${report.status}`, '', ...renderReportBody(report, 2)];
  return secrets.scrub(`${lines.join('\n')}\n`);
}

/** A fleet: one summary table, then a section per target. */
export function renderFleetMarkdown(input: FleetReport): string {
  const secrets = secretsOf(input);
  const fleet = secrets.scrubDeep(input);
  const lines = [`# temporal-doctor fleet report: ${fleet.status}`, '', ...fleetTable(fleet)];
  for (const report of fleet.reports) {
    lines.push('', `## Profile ${mdCode(report.target.profile?.value ?? '?')}`, '', ...renderReportBody(report, 3));
  }
  return secrets.scrub(`${lines.join('\n')}\n`);
}

export function fleetTable(fleet: FleetReport): string[] {
  return mdTable(
    ['profile', 'address', 'namespace', 'status', 'root cause'],
    fleet.reports.map((r) => [
      mdCode(r.target.profile?.value ?? '?'),
      mdCode(r.target.address?.value ?? ''),
      mdCode(r.target.namespace?.value ?? ''),
      STATUS_MARK[r.status],
      r.rootCause ? `${mdCode(r.rootCause.check)}: ${mdText(r.rootCause.message)}` : '',
    ])
  );
}
