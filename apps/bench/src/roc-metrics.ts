/** Pure verification metrics over genuine/impostor similarity scores (higher = more similar). */

const desc = (xs: ArrayLike<number>): Float64Array => Float64Array.from(xs).sort().reverse();

/**
 * Smallest threshold t such that at most `far` of impostor scores are strictly above t (accept = score > t).
 * With too few impostors to resolve `far`, it is the highest impostor score (zero false accepts).
 */
export function thresholdAtFar(impostors: ArrayLike<number>, far: number): number {
  const s = desc(impostors);
  if (s.length === 0) return NaN;
  const allowed = Math.floor(far * s.length);
  return s[Math.min(allowed, s.length - 1)]!;
}

/** Fraction of scores strictly above t. */
export function rateAbove(scores: ArrayLike<number>, t: number): number {
  if (scores.length === 0) return NaN;
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > t) n++;
  return n / scores.length;
}

export function tarAtFar(genuine: ArrayLike<number>, impostors: ArrayLike<number>, far: number): number {
  return rateAbove(genuine, thresholdAtFar(impostors, far));
}

/** Equal error rate and the threshold where FAR and FRR cross (accept = score > t). */
export function equalErrorRate(genuine: ArrayLike<number>, impostors: ArrayLike<number>): { eer: number; threshold: number } {
  const g = Float64Array.from(genuine).sort();
  const im = Float64Array.from(impostors).sort();
  const candidates = Float64Array.from([...g, ...im]).sort();
  let best = { eer: 1, threshold: NaN, gap: Infinity };
  let gi = 0;
  let ii = 0;
  for (const t of candidates) {
    while (gi < g.length && g[gi]! <= t) gi++;
    while (ii < im.length && im[ii]! <= t) ii++;
    const frr = gi / g.length;
    const far = (im.length - ii) / im.length;
    const gap = Math.abs(far - frr);
    if (gap < best.gap) best = { eer: (far + frr) / 2, threshold: t, gap };
  }
  return { eer: best.eer, threshold: best.threshold };
}

export interface ScoredPair {
  score: number;
  same: boolean;
}

/** Threshold maximising accuracy on `pairs` (accept = score > t). */
export function bestAccuracyThreshold(pairs: readonly ScoredPair[]): { threshold: number; accuracy: number } {
  const sorted = [...pairs].sort((a, b) => a.score - b.score);
  // Threshold below everything: all accepted.
  let correct = sorted.filter((p) => p.same).length;
  let best = { threshold: -Infinity, accuracy: correct / sorted.length };
  for (let i = 0; i < sorted.length; i++) {
    correct += sorted[i]!.same ? -1 : 1;
    const next = sorted[i + 1];
    if (next && next.score === sorted[i]!.score) continue;
    const t = next ? (sorted[i]!.score + next.score) / 2 : sorted[i]!.score;
    if (correct / sorted.length > best.accuracy) best = { threshold: t, accuracy: correct / sorted.length };
  }
  return best;
}

/** LFW protocol: threshold chosen on the other folds, accuracy measured on the held-out fold. */
export function kFoldAccuracy(folds: readonly (readonly ScoredPair[])[]): { mean: number; std: number; perFold: number[] } {
  const perFold = folds.map((test, k) => {
    const train = folds.filter((_, j) => j !== k).flat();
    const { threshold } = bestAccuracyThreshold(train);
    const ok = test.filter((p) => (p.score > threshold) === p.same).length;
    return ok / test.length;
  });
  const mean = perFold.reduce((a, b) => a + b, 0) / perFold.length;
  const std = Math.sqrt(perFold.reduce((a, b) => a + (b - mean) ** 2, 0) / perFold.length);
  return { mean, std, perFold };
}
