import { describe, expect, it } from '@jest/globals';
import { mapBounded, worstStatus } from '../../../src/diagnosis/fleet.js';
import { failingReport, passingReport } from '../render/report-fixture.js';

describe('mapBounded', () => {
  it('never has more calls in flight than the limit, and keeps the order of the input', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapBounded([30, 5, 20, 1, 10, 2], 2, async (ms) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms));
      inFlight--;
      return ms * 10;
    });
    expect(peak).toBe(2);
    expect(results).toEqual([300, 50, 200, 10, 100, 20]);
  });

  it('runs everything at once when the limit exceeds the input', async () => {
    let peak = 0;
    let inFlight = 0;
    await mapBounded([1, 1, 1], 8, async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
    });
    expect(peak).toBe(3);
  });
});

describe('worstStatus', () => {
  it('is fail when any target fails, else warn when any warns, else pass', () => {
    const warned = { ...passingReport(), status: 'warn' as const };
    expect(worstStatus([passingReport(), failingReport(), warned])).toBe('fail');
    expect(worstStatus([passingReport(), warned])).toBe('warn');
    expect(worstStatus([passingReport()])).toBe('pass');
  });
});
