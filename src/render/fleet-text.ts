// Terminal view of a fleet: one summary table, then the root cause and fix of each target that did not pass.
// --verbose adds every target's full report; --quiet prints the table only.
import type { ChalkInstance } from 'chalk';
import type { FleetReport, Report } from '../report/model.js';
import { paint, renderPretty, renderVerdict } from './text.js';
import { wrapText } from './wrap.js';

export interface FleetTextOptions {
  chalk: ChalkInstance;
  verbose?: boolean;
  quiet?: boolean;
  /** Wrap lines to this many columns; undefined: no wrapping. */
  width?: number;
}

const STATUS_WORD: Record<Report['status'], string> = { pass: '✓ pass', warn: '! warn', fail: '✗ fail' };

/** Plain columns padded to the widest cell; colour is added after padding so escapes do not skew the widths. */
function table(
  chalk: ChalkInstance,
  header: string[],
  rows: Array<{ cells: string[]; status: Report['status'] }>
): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r.cells[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return [
    chalk.bold(line(header)),
    ...rows.map(({ cells, status }) => {
      const [profile = '', statusCell = '', ...rest] = cells;
      return line([profile, paint(chalk, status, statusCell.padEnd(widths[1] ?? 0)), ...rest]);
    }),
  ];
}

export function renderFleetText(fleet: FleetReport, options: FleetTextOptions): string {
  const { chalk } = options;
  const rows = fleet.reports.map((r) => ({
    status: r.status,
    cells: [
      r.target.profile?.value ?? '?',
      STATUS_WORD[r.status],
      r.target.address?.value ?? '',
      r.target.namespace?.value ?? '',
      r.rootCause ? `${r.rootCause.stage}: ${r.rootCause.check}` : r.status === 'warn' ? 'warnings only' : '',
    ],
  }));
  const failed = fleet.reports.filter((r) => r.status === 'fail').length;
  const lines = [
    chalk.bold(`temporal-doctor ${fleet.tool.version} — ${fleet.reports.length} profiles, ${failed} failing`),
    '',
    ...table(chalk, ['PROFILE', 'STATUS', 'ADDRESS', 'NAMESPACE', 'ROOT CAUSE'], rows),
  ];
  if (options.quiet) return wrapText(`${lines.join('\n')}\n`, options.width);
  for (const report of fleet.reports) {
    const profile = report.target.profile?.value ?? '?';
    if (options.verbose) {
      lines.push(
        '',
        chalk.bold(`── profile ${profile} ──`),
        renderPretty(report, { chalk, verbose: true, width: options.width }).trimEnd()
      );
    } else if (report.status !== 'pass') {
      lines.push('', chalk.bold(`── profile ${profile} ──`), ...renderVerdict(report, chalk, true));
    }
  }
  return wrapText(`${lines.join('\n')}\n`, options.width);
}
