import { describe, expect, it } from '@jest/globals';
import { boundedResOptions } from '../../../src/cli/resolver-bound.js';

describe('boundedResOptions: glibc retries bounded to the run timeout', () => {
  it("glibc's defaults (5 s x 2) against a 5 s run: one try of 5 s", () => {
    expect(boundedResOptions(5000, 'nameserver 10.0.0.2\n', undefined)).toBe('timeout:5 attempts:1');
  });

  it("keeps resolv.conf's shorter per-try timeout and as many tries as fit", () => {
    expect(boundedResOptions(5000, 'nameserver 10.0.0.2\noptions ndots:5 timeout:1 attempts:3\n', undefined)).toBe(
      undefined
    );
    expect(boundedResOptions(2000, 'options timeout:1 attempts:3\n', undefined)).toBe('timeout:1 attempts:2');
  });

  it('a run shorter than one try: one try as long as the run (at least 1 s)', () => {
    expect(boundedResOptions(2000, undefined, undefined)).toBe('timeout:2 attempts:1');
    expect(boundedResOptions(300, undefined, undefined)).toBe('timeout:1 attempts:1');
  });

  it("keeps the environment's own options, which win over resolv.conf's", () => {
    expect(boundedResOptions(5000, 'options timeout:1\n', 'ndots:2 timeout:4 attempts:3')).toBe(
      'ndots:2 timeout:4 attempts:1'
    );
    expect(boundedResOptions(30000, undefined, 'rotate')).toBe(undefined);
  });
});
