import { describe, expect, it } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderFleetJunit, renderJunit, xmlAttr, xmlText } from '../../../src/render/junit.js';
import { failingReport, fleetOf, HOSTILE, passingReport } from './report-fixture.js';

interface Testcase {
  '@_classname': string;
  '@_name': string;
  '@_time': string;
  failure?: { '#text'?: string; '@_message': string; '@_type': string };
  skipped?: { '@_message': string };
  'system-out'?: string;
}
interface Testsuite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_skipped': string;
  properties?: { property: Array<{ '@_name': string; '@_value': string }> };
  testcase: Testcase[];
}
interface Parsed {
  testsuites: { '@_tests': string; '@_failures': string; '@_skipped': string; testsuite: Testsuite[] };
}

export function parseJunit(xml: string): Parsed {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  return parser.parse(xml) as Parsed;
}

const testcase = (parsed: Parsed, id: string) =>
  parsed.testsuites.testsuite.flatMap((s) => s.testcase).find((c) => c['@_name'] === id);

describe('renderJunit', () => {
  it('has one testsuite per stage and one testcase per check, with totals', () => {
    const parsed = parseJunit(renderJunit(failingReport()));
    expect(
      parsed.testsuites.testsuite.map((s) => [s['@_name'], s['@_tests'], s['@_failures'], s['@_skipped']])
    ).toEqual([
      ['config', '2', '0', '0'],
      ['dns', '1', '0', '0'],
      ['tls', '1', '1', '0'],
      ['grpc', '1', '0', '1'],
    ]);
    expect([parsed.testsuites['@_tests'], parsed.testsuites['@_failures'], parsed.testsuites['@_skipped']]).toEqual([
      '5',
      '1',
      '1',
    ]);
    expect(testcase(parsed, 'tls.server-name.mismatch')?.['@_classname']).toBe('temporal-doctor.tls');
    expect(testcase(parsed, 'tls.server-name.mismatch')?.['@_time']).toBe('0.040');
  });

  it('gives a failure its message and fix, and the evidence and error in its body', () => {
    const failure = testcase(parseJunit(renderJunit(failingReport())), 'tls.server-name.mismatch')?.failure;
    expect(failure?.['@_message']).toBe(
      'Server certificate does not cover billing-prod.a2dd6.tmprl.cloud. Fix: Set --tls-server-name (TEMPORAL_TLS_SERVER_NAME) to a name the certificate covers.'
    );
    expect(failure?.['@_type']).toBe('fail');
    expect(failure?.['#text']).toContain('subject: CN=proxy.acme-corp.com');
    expect(failure?.['#text']).toContain(
      "Error: Error ERR_TLS_CERT_ALTNAME_INVALID Hostname/IP does not match certificate's altnames"
    );
  });

  it('marks skipped checks with <skipped> and the reason', () => {
    const skipped = testcase(parseJunit(renderJunit(failingReport())), 'grpc.skipped');
    expect(skipped?.skipped?.['@_message']).toBe(
      'tls failed: Server certificate does not cover billing-prod.a2dd6.tmprl.cloud'
    );
    expect(skipped?.failure).toBeUndefined();
  });

  it('passes a warning with the warning in system-out, and fails it under --strict', () => {
    const relaxed = testcase(parseJunit(renderJunit(failingReport())), 'config.env.legacy');
    expect(relaxed?.failure).toBeUndefined();
    expect(relaxed?.['system-out']).toBe(
      'WARNING: TEMPORAL_CLI_ADDRESS is set but no SDK reads it\nFix: Rename TEMPORAL_CLI_ADDRESS to TEMPORAL_ADDRESS.'
    );
    const strict = parseJunit(renderJunit(failingReport(), { strict: true }));
    expect(testcase(strict, 'config.env.legacy')?.failure?.['@_type']).toBe('warn');
    expect(strict.testsuites['@_failures']).toBe('2');
  });

  it('carries hostile server text through XML escaping unchanged', () => {
    const parsed = parseJunit(renderJunit(failingReport()));
    const body = testcase(parsed, 'tls.server-name.mismatch')?.failure?.['#text'] ?? '';
    expect(body).toContain(`server text: ${HOSTILE}`);
  });

  it('puts the target and the SDK outcome in the first suite properties', () => {
    const properties = parseJunit(renderJunit(failingReport())).testsuites.testsuite[0]?.properties?.property ?? [];
    expect(properties).toContainEqual({
      '@_name': 'target.address',
      '@_value': 'billing-prod.a2dd6.tmprl.cloud:7233 (env TEMPORAL_ADDRESS)',
    });
    expect(properties).toContainEqual({
      '@_name': 'sdk.client',
      '@_value': '@temporalio/client 1.24.0: ServiceError [14]: 14 UNAVAILABLE: No connection established',
    });
  });

  it('escapes XML specials and drops characters XML cannot carry', () => {
    expect(xmlText('a<b>&c\u0000\u0007\uFFFE\uD800d')).toBe('a&lt;b&gt;&amp;cd');
    expect(xmlAttr('"q" \'s\'\nnext\ttab')).toBe('&quot;q&quot; &apos;s&apos;&#10;next&#9;tab');
    const report = failingReport();
    report.stages[0]!.checks[0]!.message = 'bad \u0001 control ]]> <x/>';
    const parsed = parseJunit(renderJunit(report));
    expect(testcase(parsed, 'config.resolved')?.['system-out']).toContain('bad  control ]]> <x/>');
  });
});

describe('renderFleetJunit', () => {
  it('has one testsuite per target, test cases classed by target and stage', () => {
    const parsed = parseJunit(renderFleetJunit(fleetOf(failingReport(), passingReport('dev'))));
    expect(parsed.testsuites.testsuite.map((s) => [s['@_name'], s['@_tests'], s['@_failures']])).toEqual([
      ['prod', '5', '1'],
      ['dev', '1', '0'],
    ]);
    expect(parsed.testsuites.testsuite[1]?.testcase[0]?.['@_classname']).toBe('temporal-doctor.dev.tcp');
    expect(parsed.testsuites['@_tests']).toBe('6');
  });
});
