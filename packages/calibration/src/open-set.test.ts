import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { galleryEntries, fpirFromFar, openSetThreshold, perPairFarForFpir, scoreRates, type OpenSetCalibration } from './open-set.ts';
import { farAt, fitScoreTail, scoreAtFar } from './score-tail.ts';

/** Impostor-like scores: a Box-Muller normal (mean 0.02, sd 0.1) from a fixed-seed LCG. */
function normalScores(n: number): Float64Array {
  let s = 99;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.02 + 0.1 * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return out;
}

const tail = fitScoreTail(normalScores(400_000));
const cal: OpenSetCalibration = {
  dataset: 'synthetic normal scores',
  identities: 1,
  images: 1,
  impostor_pairs: 400_000,
  centroid_prior_faces: 5,
  tail,
  template_weight: 0.9,
  ambiguity_likelihood_ratio: 10,
  uncertainty: [],
  measured_at: '2026-11-30',
  pipeline: 'none',
};

describe('score tail', () => {
  it('matches the empirical FAR where there is data, and the normal tail beyond it', () => {
    expect(farAt(tail, scoreAtFar(tail, 0.01))).toBeCloseTo(0.01, 4);
    // The normal's own 1e-6 point is 0.02 + 4.753 sd; a GPD above the 1e-3 quantile should land close to it.
    expect(scoreAtFar(tail, 1e-6)).toBeGreaterThan(0.02 + 4.5 * 0.1);
    expect(scoreAtFar(tail, 1e-6)).toBeLessThan(0.02 + 5.0 * 0.1);
  });

  it('FAR falls as the score rises, and scoreAtFar inverts farAt', () => {
    fc.assert(
      fc.property(fc.double({ min: -9, max: -0.31, noNaN: true }), fc.double({ min: -9, max: -0.31, noNaN: true }), (a, b) => {
        const [lo, hi] = a < b ? [10 ** a, 10 ** b] : [10 ** b, 10 ** a];
        const tLo = scoreAtFar(tail, lo);
        const tHi = scoreAtFar(tail, hi);
        expect(tLo).toBeGreaterThanOrEqual(tHi);
        expect(Math.log10(farAt(tail, tLo))).toBeCloseTo(Math.log10(lo), 4);
      }),
    );
  });
});

describe('open-set thresholds', () => {
  it('per-pair FAR and FPIR are inverses for any gallery size', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-4, max: 0.5, noNaN: true }), fc.integer({ min: 1, max: 100_000_000 }), (fpir, n) => {
        expect(fpirFromFar(perPairFarForFpir(fpir, n), n) / fpir).toBeCloseTo(1, 6);
      }),
    );
  });

  it('the threshold rises with the gallery and falls as the target FPIR is relaxed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 2, max: 100 }), fc.double({ min: 1e-3, max: 0.05, noNaN: true }), (n, grow, target) => {
        const small = openSetThreshold(cal, target, n);
        expect(openSetThreshold(cal, target, n * grow).threshold).toBeGreaterThan(small.threshold);
        expect(openSetThreshold(cal, target * 2, n).threshold).toBeLessThan(small.threshold);
        expect(small.margin).toBeGreaterThan(0);
        expect(scoreRates(cal, small.threshold, n).fpir).toBeCloseTo(target, 4);
      }),
    );
  });

  it('counts one entry per one-face subject, and more for multi-face templates, never fewer than one', () => {
    expect(galleryEntries(1000, 1000, 0.9)).toBe(1000);
    expect(galleryEntries(1000, 3000, 0.9)).toBeCloseTo(1900);
    expect(galleryEntries(1000, 1500, 0.9)).toBeCloseTo(1450);
    expect(galleryEntries(0, 0, 0.9)).toBe(1);
  });
});
