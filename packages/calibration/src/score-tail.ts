import { z } from 'zod';
import { fitGpd, gpdHazard, gpdQuantileAbove, gpdSurvival } from './gpd.ts';

/**
 * The upper tail of an impostor score distribution: the per-pair false-accept rate FAR(t) = P(score >= t).
 * Above `u` (where `zeta` of the scores lie) it is a fitted generalised Pareto tail, so it extrapolates to
 * rates no data set can observe; below `u` it is the empirical curve, kept as points and interpolated in
 * log-FAR.
 */
export const scoreTailSchema = z.object({
  /** Empirical [score, FAR] points, score ascending; the last one is [u, zeta]. */
  body: z.array(z.tuple([z.number(), z.number().positive().max(1)])).min(2),
  u: z.number(),
  zeta: z.number().positive().max(1),
  xi: z.number(),
  sigma: z.number().positive(),
  /** Scores above u the fit used. */
  exceedances: z.number().int().positive(),
});
export type ScoreTail = z.infer<typeof scoreTailSchema>;

/** Smallest rate the model reports: past a bounded tail's end point the fit says 0, which no sample supports. */
const FAR_FLOOR = 1e-15;

/** FAR(t): the share of impostor scores at or above t. */
export function farAt(tail: ScoreTail, t: number): number {
  if (t >= tail.u) return Math.max(FAR_FLOOR, tail.zeta * gpdSurvival(t - tail.u, tail));
  const body = tail.body;
  if (t <= body[0]![0]) return body[0]![1];
  for (let i = 1; i < body.length; i++) {
    const [s1, f1] = body[i]!;
    if (t <= s1) {
      const [s0, f0] = body[i - 1]!;
      const a = s1 === s0 ? 1 : (t - s0) / (s1 - s0);
      return Math.exp(Math.log(f0) + a * (Math.log(f1) - Math.log(f0)));
    }
  }
  return tail.zeta;
}

/** The score t with FAR(t) = far: the per-pair threshold for that false-accept rate. */
export function scoreAtFar(tail: ScoreTail, far: number): number {
  if (!(far > 0 && far <= 1)) throw new RangeError(`FAR must be in (0, 1], got ${far}`);
  if (far <= tail.zeta) return tail.u + gpdQuantileAbove(Math.max(far, FAR_FLOOR) / tail.zeta, tail);
  const body = tail.body;
  if (far >= body[0]![1]) return body[0]![0];
  for (let i = 1; i < body.length; i++) {
    const [s1, f1] = body[i]!;
    if (far >= f1) {
      const [s0, f0] = body[i - 1]!;
      const a = f0 === f1 ? 1 : (Math.log(far) - Math.log(f0)) / (Math.log(f1) - Math.log(f0));
      return s0 + a * (s1 - s0);
    }
  }
  return tail.u;
}

/** -d ln FAR / dt at t: how fast the false-accept rate falls with score there. */
export function farHazard(tail: ScoreTail, t: number): number {
  if (t >= tail.u) return gpdHazard(t - tail.u, tail);
  const body = tail.body;
  for (let i = 1; i < body.length; i++) {
    const [s1, f1] = body[i]!;
    const [s0, f0] = body[i - 1]!;
    if (t <= s1 && s1 > s0) return (Math.log(f0) - Math.log(f1)) / (s1 - s0);
  }
  return gpdHazard(0, tail);
}

/** FAR levels kept as body points; the tail starts at `tailFraction`. */
const BODY_FARS = [0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002];

/**
 * Fits a ScoreTail to impostor scores: the empirical curve down to `tailFraction` (default 1e-3) and a GPD
 * above it. `scores` is sorted in place (descending).
 */
export function fitScoreTail(scores: Float32Array | Float64Array, tailFraction = 1e-3): ScoreTail {
  const n = scores.length;
  const k = Math.floor(tailFraction * n);
  if (k < 50) throw new RangeError(`${n} impostor scores leave only ${k} above the ${tailFraction} quantile; a tail fit needs at least 50`);
  scores.sort();
  scores.reverse();
  const at = (far: number) => scores[Math.min(n - 1, Math.max(0, Math.floor(far * n) - 1))]!;
  const u = scores[k]!;
  const exceedances: number[] = [];
  for (let i = 0; i < n && scores[i]! > u; i++) exceedances.push(scores[i]! - u);
  const zeta = exceedances.length / n;
  const body: [number, number][] = BODY_FARS.filter((f) => f > zeta).map((f) => [at(f), f]);
  body.push([u, zeta]);
  body.sort((a, b) => a[0] - b[0]);
  const { xi, sigma } = fitGpd(exceedances);
  return { body, u, zeta, xi, sigma, exceedances: exceedances.length };
}
