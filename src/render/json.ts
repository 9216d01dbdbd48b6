import type { Report, FleetReport } from '../report/model.js';
import { secretsOf } from '../text/secret-registry.js';

/** The report as one JSON document (docs/report.schema.json). Secrets are fingerprints already; the scrub is defence. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(secretsOf(report).scrubDeep(report), null, 2)}\n`;
}

/** A fleet run: `{ schemaVersion: 1, fleet: true, status, reports: [...] }` (docs/outputs.md). */
export function renderFleetJson(fleet: FleetReport): string {
  return `${JSON.stringify(secretsOf(fleet).scrubDeep(fleet), null, 2)}\n`;
}

/** -o jsonl: the report on one line. */
export function renderJsonLine(report: Report): string {
  return `${JSON.stringify(secretsOf(report).scrubDeep(report))}\n`;
}

/** -o jsonl for a fleet: one line per target's report, as the Temporal CLI prints one object per line. */
export function renderFleetJsonLines(fleet: FleetReport): string {
  return fleet.reports.map((report) => renderJsonLine(report)).join('');
}
