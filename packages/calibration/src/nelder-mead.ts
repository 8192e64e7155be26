/**
 * Derivative-free minimisation (Nelder-Mead simplex) for the few small, smooth likelihoods the calibration
 * fits. Standard coefficients; stops when the simplex's values agree to `tolerance` or after `maxIterations`.
 */
export function nelderMead(
  f: (x: readonly number[]) => number,
  start: readonly number[],
  opts: { step?: readonly number[]; tolerance?: number; maxIterations?: number } = {},
): { x: number[]; value: number } {
  const n = start.length;
  const tolerance = opts.tolerance ?? 1e-10;
  const maxIterations = opts.maxIterations ?? 2000;
  let simplex: { x: number[]; v: number }[] = [{ x: [...start], v: f(start) }];
  for (let i = 0; i < n; i++) {
    const x = [...start];
    x[i]! += opts.step?.[i] ?? (Math.abs(start[i]!) > 1e-8 ? 0.1 * Math.abs(start[i]!) : 0.05);
    simplex.push({ x, v: f(x) });
  }
  const combine = (a: readonly number[], b: readonly number[], t: number) => a.map((ai, i) => ai + t * (b[i]! - ai));
  for (let iter = 0; iter < maxIterations; iter++) {
    simplex.sort((a, b) => a.v - b.v);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    if (Math.abs(worst.v - best.v) <= tolerance * (Math.abs(best.v) + tolerance)) break;
    const centroid = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i]! += simplex[k]!.x[i]! / n;
    const reflected = combine(centroid, worst.x, -1);
    const rv = f(reflected);
    if (rv < best.v) {
      const expanded = combine(centroid, worst.x, -2);
      const ev = f(expanded);
      simplex[n] = ev < rv ? { x: expanded, v: ev } : { x: reflected, v: rv };
    } else if (rv < simplex[n - 1]!.v) {
      simplex[n] = { x: reflected, v: rv };
    } else {
      const contracted = rv < worst.v ? combine(centroid, reflected, 0.5) : combine(centroid, worst.x, 0.5);
      const cv = f(contracted);
      if (cv < Math.min(rv, worst.v)) simplex[n] = { x: contracted, v: cv };
      else simplex = simplex.map((p, k) => (k === 0 ? p : { x: combine(best.x, p.x, 0.5), v: f(combine(best.x, p.x, 0.5)) }));
    }
  }
  simplex.sort((a, b) => a.v - b.v);
  return { x: simplex[0]!.x, value: simplex[0]!.v };
}
