import { describe, it, expect } from '@jest/globals';
import { pipelineRun, selectStages, unknownSelector } from '../../../src/diagnosis/select-stages.js';
import { STAGES } from '../../../src/stages/index.js';
import { withDefaults } from '../../../src/options.js';

describe('selectStages', () => {
  it('runs every stage by default', () => {
    expect([...selectStages(STAGES, {})]).toEqual([
      'config',
      'pem',
      'endpoint',
      'cloud',
      'dns',
      'tcp',
      'proxy',
      'tls',
      'grpc',
      'namespace',
      'codec',
    ]);
  });

  it('keeps an --only stage and the stages it needs, in run order', () => {
    expect([...selectStages(STAGES, { only: ['tcp'] })].sort()).toEqual(['config', 'dns', 'endpoint', 'tcp']);
  });

  it('takes the stage of an --only check id', () => {
    expect(selectStages(STAGES, { only: ['pem.client-cert.expiring'] }).has('pem')).toBe(true);
  });

  it('drops --skip stages but not the stage of a skipped check id', () => {
    const selected = selectStages(STAGES, { skip: ['codec', 'tls.server-cert.expiring'] });
    expect(selected.has('codec')).toBe(false);
    expect(selected.has('tls')).toBe(true);
  });
});

describe('pipelineRun', () => {
  it('words the reason a stage did not run after the flag that left it out', () => {
    const run = pipelineRun(STAGES, withDefaults({ skip: ['codec'] }));
    expect(run.notSelected('codec')).toBe('excluded by --skip');
    expect(pipelineRun(STAGES, withDefaults({ only: ['tcp'] })).notSelected('grpc')).toBe('not selected by --only');
  });

  it("names the flags in the fixes of the runner's own checks", () => {
    const { texts } = pipelineRun(STAGES, withDefaults({}));
    expect(texts.deadlineFix).toMatch(/--timeout/);
    expect(texts.crashFix).toMatch(/-o markdown/);
  });
});

describe('unknownSelector', () => {
  it.each(['grpc', 'pem.client-cert.expiring', 'tls.server-cert', 'tls.worker', 'tcp.crashed', 'pem.server-ca.crlf'])(
    'accepts %s',
    (selector) => {
      expect(unknownSelector(selector)).toBeUndefined();
    }
  );

  it.each([
    ['grcp', 'unknown stage "grcp" (did you mean grpc?)'],
    ['tsl.server-cert', 'unknown stage "tsl.server-cert" (did you mean tls.server-cert?)'],
    ['frobnicate', 'unknown stage "frobnicate" (stages: config'],
    ['tls.server-certt', 'unknown check id "tls.server-certt" (did you mean tls.server-cert?)'],
    ['pem.client-cert.expirng', 'unknown check id "pem.client-cert.expirng" (did you mean pem.client-cert.expiring?)'],
    ['tcp.nothing-like-this', 'unknown check id "tcp.nothing-like-this": docs/checks/tcp.md'],
  ])('refuses %s with a did-you-mean', (selector, message) => {
    expect(unknownSelector(selector)).toContain(message);
  });
});
