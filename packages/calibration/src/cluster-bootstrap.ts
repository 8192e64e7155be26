import { fitGpd, gpdQuantileAbove } from './gpd.ts';

/**
 * Impostor pairs are not independent: every pair of two identities shares their photos, and a look-alike pair
 * of people contributes many high scores at once. The honest error of a tail fit therefore comes from
 * resampling identities, not pairs.
 */
export interface ClusteredTail {
  u: number;
  /** Per data set: pairCounts[a * n + b] = impostor pairs counted between identities a and b (a < b), n identities. */
  domains: { identities: number; pairCounts: Float64Array }[];
  /** Every pair above u: its data set, its two identities and its exceedance score - u. */
  exceedances: { domain: number; a: number; b: number; x: number }[];
}

export interface ThresholdInterval {
  far: number;
  /** 5th and 95th percentiles over the bootstrap replicates. */
  lo: number;
  hi: number;
}

/** mulberry32: a small seeded generator, so the printed intervals are reproducible. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 90 % intervals of the per-pair threshold at each FAR, from `replicates` identity-resampled refits. */
export function bootstrapThresholds(sample: ClusteredTail, fars: readonly number[], replicates = 200, seed = 1): ThresholdInterval[] {
  const rand = random(seed);
  const draws: number[][] = fars.map(() => []);
  for (let r = 0; r < replicates; r++) {
    const multiplicity = sample.domains.map((d) => {
      const m = new Float64Array(d.identities);
      for (let i = 0; i < d.identities; i++) m[Math.floor(rand() * d.identities)]! += 1;
      return m;
    });
    let pairs = 0;
    sample.domains.forEach((d, k) => {
      const m = multiplicity[k]!;
      for (let a = 0; a < d.identities; a++) {
        if (m[a] === 0) continue;
        for (let b = a + 1; b < d.identities; b++) pairs += m[a]! * m[b]! * d.pairCounts[a * d.identities + b]!;
      }
    });
    const xs: number[] = [];
    const ws: number[] = [];
    for (const e of sample.exceedances) {
      const w = multiplicity[e.domain]![e.a]! * multiplicity[e.domain]![e.b]!;
      if (w > 0) {
        xs.push(e.x);
        ws.push(w);
      }
    }
    const total = ws.reduce((s, w) => s + w, 0);
    if (xs.length < 10 || pairs === 0) continue;
    const zeta = total / pairs;
    const gpd = fitGpd(xs, ws);
    fars.forEach((far, i) => draws[i]!.push(far >= zeta ? NaN : sample.u + gpdQuantileAbove(far / zeta, gpd)));
  }
  return fars.map((far, i) => {
    const d = draws[i]!.filter(Number.isFinite).sort((a, b) => a - b);
    const q = (p: number) => d[Math.min(d.length - 1, Math.max(0, Math.round(p * (d.length - 1))))] ?? NaN;
    return { far, lo: q(0.05), hi: q(0.95) };
  });
}
