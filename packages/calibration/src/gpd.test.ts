import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitGpd, gpdQuantileAbove, gpdSurvival } from './gpd.ts';

/** Inverse-CDF draws from a GPD with a fixed-seed LCG, so the test is deterministic. */
function sample(n: number, xi: number, sigma: number): number[] {
  let s = 12345;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(gpdQuantileAbove((s + 0.5) / 4294967296, { xi, sigma }));
  }
  return out;
}

describe('generalised Pareto tail', () => {
  it.each([
    [-0.1, 0.035],
    [-0.3, 0.05],
    [0.0, 0.02],
    [0.2, 0.1],
  ])('recovers xi=%f sigma=%f from 20,000 draws', (xi, sigma) => {
    const fit = fitGpd(sample(20_000, xi, sigma));
    expect(fit.xi).toBeCloseTo(xi, 1);
    expect(fit.sigma / sigma).toBeGreaterThan(0.95);
    expect(fit.sigma / sigma).toBeLessThan(1.05);
  });

  it('quantile and survival are inverses', () => {
    fc.assert(
      fc.property(fc.double({ min: -0.5, max: 0.5, noNaN: true }), fc.double({ min: 0.001, max: 1, noNaN: true }), fc.double({ min: 1e-12, max: 1, noNaN: true }), (xi, sigma, q) => {
        const x = gpdQuantileAbove(q, { xi, sigma });
        expect(gpdSurvival(x, { xi, sigma })).toBeCloseTo(q, 6);
      }),
    );
  });

  it('a bounded tail (xi < 0) has no mass past its end point', () => {
    expect(gpdSurvival(0.5, { xi: -0.2, sigma: 0.05 })).toBe(0);
    expect(gpdSurvival(0.2, { xi: -0.2, sigma: 0.05 })).toBeGreaterThan(0);
  });

  it('refuses a fit on too few exceedances', () => {
    expect(() => fitGpd([0.1, 0.2])).toThrow(/at least 10/);
  });
});
