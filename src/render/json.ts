import type { Report } from '../report/model.js';

/** The report as one JSON document (secrets are Secret objects or fingerprints already, so nothing to strip here). */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
