// -o junit: the CI-gate view. One <testsuite> per stage, one <testcase> per check: fail → <failure>, skip → <skipped/>,
// warn → a pass with the warning in <system-out> (a <failure> under --strict, matching the exit code).
// A fleet is one <testsuite> per target instead, its test cases classed by target and stage.
import type { Report, FleetReport } from '../report/model.js';
import type { CheckResult } from '../pipeline/types.js';
import { secretsOf, type SecretRegistry } from '../text/secret-registry.js';

export interface JunitOptions {
  /** Warnings fail, as they fail the exit code. @default false */
  strict?: boolean;
}

interface Case {
  classname: string;
  check: CheckResult;
}

// Characters XML 1.0 cannot carry at all, even escaped (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/F).
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(text: string): string {
  return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values also escape quotes, and line breaks (a parser would otherwise fold them into spaces). */
export function xmlAttr(text: string): string {
  return xmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function isFailure(check: CheckResult, strict: boolean): boolean {
  return check.status === 'fail' || (strict && check.status === 'warn');
}

function details(check: CheckResult): string {
  const lines = [check.message];
  if (check.fix && check.status !== 'pass' && check.status !== 'skip') lines.push(`Fix: ${check.fix}`);
  for (const e of check.evidence) lines.push(`${e.label}: ${e.value}`);
  if (check.cause)
    lines.push(
      `Error: ${[check.cause.name, check.cause.code].filter((v) => v !== undefined).join(' ')} ${check.cause.message}`.trim()
    );
  return lines.join('\n');
}

function renderCase({ classname, check }: Case, strict: boolean): string[] {
  const open = `    <testcase classname="${xmlAttr(classname)}" name="${xmlAttr(check.id)}" time="${seconds(check.durationMs)}"`;
  if (check.status === 'skip')
    return [`${open}>`, `      <skipped message="${xmlAttr(check.message)}"/>`, '    </testcase>'];
  if (isFailure(check, strict)) {
    const message = check.fix ? `${check.message}. Fix: ${check.fix}` : check.message;
    return [
      `${open}>`,
      `      <failure message="${xmlAttr(message)}" type="${check.status}">${xmlText(details(check))}</failure>`,
      '    </testcase>',
    ];
  }
  const prefix = check.status === 'warn' ? 'WARNING: ' : '';
  return [`${open}>`, `      <system-out>${xmlText(prefix + details(check))}</system-out>`, '    </testcase>'];
}

function renderSuite(
  name: string,
  cases: Case[],
  durationMs: number,
  timestamp: string,
  strict: boolean,
  properties: Array<[string, string]>
): string[] {
  const failures = cases.filter((c) => isFailure(c.check, strict)).length;
  const skipped = cases.filter((c) => c.check.status === 'skip').length;
  const lines = [
    `  <testsuite name="${xmlAttr(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(durationMs)}" timestamp="${xmlAttr(timestamp)}">`,
  ];
  if (properties.length) {
    lines.push('    <properties>');
    for (const [key, value] of properties)
      lines.push(`      <property name="${xmlAttr(key)}" value="${xmlAttr(value)}"/>`);
    lines.push('    </properties>');
  }
  lines.push(...cases.flatMap((c) => renderCase(c, strict)), '  </testsuite>');
  return lines;
}

function targetProperties(report: Report): Array<[string, string]> {
  const properties = Object.entries(report.target).map(([key, setting]): [string, string] => [
    `target.${key}`,
    `${setting.value} (${setting.source})`,
  ]);
  for (const sdk of report.sdk) {
    const error = sdk.error
      ? `${sdk.error.name}${sdk.error.code !== undefined ? ` [${sdk.error.code}]` : ''}: ${sdk.error.message}`
      : sdk.outcome;
    properties.push([`sdk.${sdk.stack}`, `${sdk.package}: ${error}`]);
  }
  return properties;
}

function wrap(
  suites: string[],
  all: CheckResult[],
  durationMs: number,
  strict: boolean,
  secrets: SecretRegistry
): string {
  const failures = all.filter((c) => isFailure(c, strict)).length;
  const skipped = all.filter((c) => c.status === 'skip').length;
  return secrets.scrub(
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="temporal-doctor" tests="${all.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(durationMs)}">`,
      ...suites,
      '</testsuites>',
      '',
    ].join('\n')
  );
}

export function renderJunit(input: Report, options: JunitOptions = {}): string {
  const secrets = secretsOf(input);
  const report = secrets.scrubDeep(input);
  const strict = Boolean(options.strict);
  const suites = report.stages.flatMap((stage, index) =>
    renderSuite(
      stage.id,
      stage.checks.map((check) => ({ classname: `temporal-doctor.${stage.id}`, check })),
      stage.durationMs,
      report.startedAt,
      strict,
      index === 0 ? targetProperties(report) : []
    )
  );
  return wrap(
    suites,
    report.stages.flatMap((s) => s.checks),
    report.durationMs,
    strict,
    secrets
  );
}

export function renderFleetJunit(input: FleetReport, options: JunitOptions = {}): string {
  const secrets = secretsOf(input);
  const fleet = secrets.scrubDeep(input);
  const strict = Boolean(options.strict);
  const suites = fleet.reports.flatMap((report) => {
    const profile = report.target.profile?.value ?? '?';
    const cases = report.stages.flatMap((stage) =>
      stage.checks.map((check) => ({ classname: `temporal-doctor.${profile}.${stage.id}`, check }))
    );
    return renderSuite(profile, cases, report.durationMs, report.startedAt, strict, targetProperties(report));
  });
  return wrap(
    suites,
    fleet.reports.flatMap((r) => r.stages.flatMap((s) => s.checks)),
    fleet.durationMs,
    strict,
    secrets
  );
}
