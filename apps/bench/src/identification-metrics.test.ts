import { describe, expect, it } from 'vitest';
import { openSetRates, rankRate, type ProbeResult } from './identification-metrics.ts';

const probes: ProbeResult[] = [
  { truth: 'a', hits: [{ subject: 'a', score: 0.7 }, { subject: 'b', score: 0.2 }] },
  { truth: 'b', hits: [{ subject: 'c', score: 0.5 }, { subject: 'b', score: 0.45 }] },
  { truth: 'c', hits: [{ subject: 'c', score: 0.3 }] },
  { truth: 'd', hits: [] },
  { truth: null, hits: [{ subject: 'a', score: 0.6 }] },
  { truth: null, hits: [{ subject: 'b', score: 0.1 }] },
];

describe('rankRate', () => {
  it('counts genuine probes only, within the first k hits', () => {
    expect(rankRate(probes, 1)).toBe(2 / 4);
    expect(rankRate(probes, 2)).toBe(3 / 4);
  });

  it('is NaN without genuine probes', () => {
    expect(rankRate([{ truth: null, hits: [] }], 1)).toBeNaN();
  });
});

describe('openSetRates', () => {
  it('splits accepted top-1 hits into correct, wrong identity and false match', () => {
    const r = openSetRates(probes, 0.4);
    expect(r).toEqual({ dir: 1 / 4, wrongIdentityRate: 1 / 4, falseMatchRate: 1 / 2, genuine: 4, distractors: 2 });
  });

  it('accepts a score equal to the threshold, as match does', () => {
    expect(openSetRates(probes, 0.6).falseMatchRate).toBe(1 / 2);
    expect(openSetRates(probes, 0.6000001).falseMatchRate).toBe(0);
  });

  it('does not count a correct top-1 below the threshold', () => {
    expect(openSetRates(probes, 0.8).dir).toBe(0);
  });
});
