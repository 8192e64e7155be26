import { nelderMead } from './nelder-mead.ts';

/**
 * Generalised Pareto distribution of exceedances x = score - u >= 0 over a high threshold u: the limit law of
 * the tail of almost any continuous distribution (Pickands-Balkema-de Haan), which is why it, and not a
 * Gaussian fitted to the whole body, is used to extrapolate false-accept rates far below what was observed.
 * Cosine scores are bounded, so the fitted shape is expected to be negative (a finite upper end point).
 */
export interface GpdParams {
  /** Shape ξ. */
  xi: number;
  /** Scale σ > 0. */
  sigma: number;
}

const XI_ZERO = 1e-9;

/** P(X > x) for exceedances x >= 0. */
export function gpdSurvival(x: number, { xi, sigma }: GpdParams): number {
  if (x <= 0) return 1;
  if (Math.abs(xi) < XI_ZERO) return Math.exp(-x / sigma);
  const z = 1 + (xi * x) / sigma;
  if (z <= 0) return 0; // beyond the end point of a bounded (ξ < 0) tail
  return Math.exp((-1 / xi) * Math.log(z));
}

/** The exceedance x with P(X > x) = q, for q in (0, 1]. */
export function gpdQuantileAbove(q: number, { xi, sigma }: GpdParams): number {
  if (!(q > 0 && q <= 1)) throw new RangeError(`survival probability must be in (0, 1], got ${q}`);
  if (Math.abs(xi) < XI_ZERO) return -sigma * Math.log(q);
  return (sigma / xi) * (Math.exp(-xi * Math.log(q)) - 1);
}

/** -d/dx ln P(X > x): how many e-folds of false-accept rate one unit of score buys at x. */
export function gpdHazard(x: number, { xi, sigma }: GpdParams): number {
  return 1 / (sigma + xi * Math.max(0, x));
}

function negLogLikelihood(xs: Float64Array, ws: Float64Array | undefined, xi: number, sigma: number): number {
  if (!(sigma > 0)) return Infinity;
  let nll = 0;
  for (let i = 0; i < xs.length; i++) {
    const w = ws ? ws[i]! : 1;
    if (w === 0) continue;
    const x = xs[i]!;
    let term: number;
    if (Math.abs(xi) < XI_ZERO) term = Math.log(sigma) + x / sigma;
    else {
      const z = 1 + (xi * x) / sigma;
      if (z <= 0) return Infinity;
      term = Math.log(sigma) + (1 / xi + 1) * Math.log(z);
    }
    nll += w * term;
  }
  return nll;
}

/**
 * Maximum-likelihood GPD fit to exceedances (optionally weighted, for the cluster bootstrap). Starts from the
 * method-of-moments estimate; ξ is kept in (-1, 1), where the MLE is regular enough to be meaningful.
 */
export function fitGpd(exceedances: ArrayLike<number>, weights?: ArrayLike<number>): GpdParams {
  const xs = Float64Array.from(exceedances);
  const ws = weights ? Float64Array.from(weights) : undefined;
  if (xs.length < 10) throw new RangeError(`a tail fit needs at least 10 exceedances, got ${xs.length}`);
  let sw = 0;
  let m = 0;
  for (let i = 0; i < xs.length; i++) {
    const w = ws ? ws[i]! : 1;
    sw += w;
    m += w * xs[i]!;
  }
  m /= sw;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (ws ? ws[i]! : 1) * (xs[i]! - m) ** 2;
  v /= sw;
  const xi0 = Math.max(-0.9, Math.min(0.9, 0.5 * (1 - (m * m) / v)));
  const sigma0 = Math.max(1e-6, 0.5 * m * ((m * m) / v + 1));
  const { x } = nelderMead(
    ([xi, logSigma]) => (xi! <= -1 || xi! >= 1 ? Infinity : negLogLikelihood(xs, ws, xi!, Math.exp(logSigma!))),
    [xi0, Math.log(sigma0)],
    { step: [0.05, 0.2], tolerance: 1e-12, maxIterations: 4000 },
  );
  return { xi: x[0]!, sigma: Math.exp(x[1]!) };
}
