import { describe, expect, it } from 'vitest';
import { bestAccuracyThreshold, equalErrorRate, kFoldAccuracy, tarAtFar, thresholdAtFar } from './roc-metrics.ts';

const range = <T,>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

describe('roc metrics', () => {
  it('picks the impostor score that lets through at most the allowed fraction', () => {
    const imp = range(1000, (i) => i / 1000); // 0 .. 0.999
    const t = thresholdAtFar(imp, 1e-2);
    expect(t).toBeCloseTo(0.989, 6);
    expect(imp.filter((s) => s > t).length).toBe(10);
    // Fewer impostors than 1/far: no false accepts allowed at all.
    expect(thresholdAtFar([0.1, 0.5, 0.3], 1e-3)).toBe(0.5);
  });

  it('computes TAR at a FAR and the EER on separable and overlapping scores', () => {
    const imp = range(100, (i) => i / 100);
    expect(tarAtFar([2, 3, 0.5], imp, 1e-2)).toBeCloseTo(2 / 3, 9);
    expect(equalErrorRate([0.9, 0.95], [0.1, 0.2]).eer).toBe(0);
    const g = range(100, (i) => 0.5 + i / 100);
    const { eer, threshold } = equalErrorRate(g, imp);
    expect(eer).toBeGreaterThan(0.2);
    expect(eer).toBeLessThan(0.3);
    expect(threshold).toBeGreaterThan(0.6);
    expect(threshold).toBeLessThan(0.9);
  });

  it('chooses the accuracy-maximising threshold and evaluates folds on held-out data', () => {
    const pairs = [
      { score: 0.1, same: false },
      { score: 0.2, same: false },
      { score: 0.3, same: true },
      { score: 0.9, same: true },
    ];
    const best = bestAccuracyThreshold(pairs);
    expect(best.accuracy).toBe(1);
    expect(best.threshold).toBeCloseTo(0.25, 9);
    const folds = range(10, () => pairs);
    expect(kFoldAccuracy(folds).mean).toBe(1);
    const noisy = [...pairs, { score: 0.95, same: false }];
    expect(kFoldAccuracy(range(10, () => noisy)).mean).toBeCloseTo(0.8, 9);
  });
});
