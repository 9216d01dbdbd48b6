// --output name → renderer, for one report and for a fleet. A new format is one new file and one line in each table.
// Every renderer ends in the secret scrub (text/secret-registry.ts): the patterns, and the values of the run that
// produced the report (attached to it), so no format can print a key block, a bearer token or a known secret.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Report, FleetReport } from '../report/model.js';
import { OUTPUT_FORMATS, type OutputFormat } from './formats.js';
import { renderFleetJson, renderFleetJsonLines, renderJson, renderJsonLine } from './json.js';
import { renderPretty } from './text.js';
import { renderFleetText } from './fleet-text.js';
import { renderFleetMarkdown, renderMarkdown } from './markdown.js';
import { renderFleetJunit, renderJunit } from './junit.js';
import { secretsOf } from '../text/secret-registry.js';
import {
  renderFleetGithubAnnotations,
  renderFleetStepSummary,
  renderGithubAnnotations,
  renderStepSummary,
} from './github.js';

export interface RenderOptions {
  chalk: ChalkInstance;
  verbose: boolean;
  /** Text only: print the verdict (a fleet: the summary table). Other formats are complete documents and ignore it. */
  quiet: boolean;
  /** Warnings count as failures (junit). */
  strict: boolean;
  /** Text only: wrap to this many columns (the CLI passes a terminal's width); undefined: no wrapping. */
  width?: number;
}

export type Renderer = (report: Report, options: RenderOptions) => string;
export type FleetRenderer = (fleet: FleetReport, options: RenderOptions) => string;

/** Terminal text with the same scrub as every other format; without a chalk instance, no colour. */
export function renderText(
  report: Report,
  options: Partial<Pick<RenderOptions, 'chalk' | 'verbose' | 'quiet' | 'width'>> = {}
): string {
  const chalk = options.chalk ?? new Chalk({ level: 0 });
  const secrets = secretsOf(report);
  return secrets.scrub(renderPretty(secrets.scrubDeep(report), { ...options, chalk }));
}

export const RENDERERS = {
  text: (report, options) => renderText(report, options),
  json: (report) => renderJson(report),
  jsonl: (report) => renderJsonLine(report),
  markdown: (report) => renderMarkdown(report),
  junit: (report, options) => renderJunit(report, { strict: options.strict }),
  none: () => '',
} satisfies Record<OutputFormat, Renderer>;

export { OUTPUT_FORMATS, type OutputFormat };

export const FLEET_RENDERERS: Record<OutputFormat, FleetRenderer> = {
  text: (fleet, options) => {
    const secrets = secretsOf(fleet);
    return secrets.scrub(renderFleetText(secrets.scrubDeep(fleet), options));
  },
  json: (fleet) => renderFleetJson(fleet),
  jsonl: (fleet) => renderFleetJsonLines(fleet),
  markdown: (fleet) => renderFleetMarkdown(fleet),
  junit: (fleet, options) => renderFleetJunit(fleet, { strict: options.strict }),
  none: () => '',
};

/** Any report, single or fleet, in any output format: the one entry point for callers (the CLI, the library). */
export function render(doc: Report | FleetReport, format: OutputFormat, options: RenderOptions): string {
  return isFleet(doc) ? FLEET_RENDERERS[format](doc, options) : RENDERERS[format](doc, options);
}

/** The formats a run's side outputs need (report files, GitHub annotations and step summary), for either kind of report. */
export function sideOutputs(
  doc: Report | FleetReport,
  strict: boolean
): { markdown(): string; json(): string; annotations(): string; stepSummary(): string } {
  if (isFleet(doc)) {
    return {
      markdown: () => renderFleetMarkdown(doc),
      json: () => renderFleetJson(doc),
      annotations: () => renderFleetGithubAnnotations(doc, { strict }),
      stepSummary: () => renderFleetStepSummary(doc),
    };
  }
  return {
    markdown: () => renderMarkdown(doc),
    json: () => renderJson(doc),
    annotations: () => renderGithubAnnotations(doc, { strict }),
    stepSummary: () => renderStepSummary(doc),
  };
}

function isFleet(doc: Report | FleetReport): doc is FleetReport {
  return 'fleet' in doc && doc.fleet === true;
}

export { renderJson, renderFleetJson } from './json.js';
export { renderMarkdown, renderFleetMarkdown } from './markdown.js';
export { renderJunit, renderFleetJunit } from './junit.js';
export {
  renderGithubAnnotations,
  renderFleetGithubAnnotations,
  renderStepSummary,
  renderFleetStepSummary,
} from './github.js';
export { scrubSecrets, scrubDeep } from '../text/secret-registry.js';
