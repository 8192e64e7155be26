import { farAt, fitScoreTail, openSetThreshold, scoreAtFar, type OpenSetCalibration, type ScoreTail, type ThresholdInterval } from '@facerec/calibration';

const sci = (x: number): string => (x === 0 ? '0' : x.toExponential(2));

/** Standard normal upper tail, for the "why not a Gaussian" column. */
function normalSurvival(z: number): number {
  // Abramowitz-Stegun 7.1.26 on erfc; plenty for a comparison column.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** The fitted tail against the empirical one and against a Gaussian fitted to all scores. */
export function printTailFit(scoresDescending: Float32Array, tail: ScoreTail): void {
  const n = scoresDescending.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += scoresDescending[i]!;
  mean /= n;
  let sd = 0;
  for (let i = 0; i < n; i++) sd += (scoresDescending[i]! - mean) ** 2;
  sd = Math.sqrt(sd / n);
  console.log(`  u = ${tail.u.toFixed(4)} (top ${sci(tail.zeta)}, ${tail.exceedances} exceedances); GPD shape xi = ${tail.xi.toFixed(4)}, scale sigma = ${tail.sigma.toFixed(4)}` +
    (tail.xi < 0 ? `, end point ${(tail.u - tail.sigma / tail.xi).toFixed(3)}` : ''));
  console.log(`  Gaussian fitted to all ${n} scores: mean ${mean.toFixed(4)}, sd ${sd.toFixed(4)}`);
  console.log('  score   pairs >= score   empirical FAR   GPD/body FAR   Gaussian FAR');
  const top = scoresDescending[0]!;
  for (let t = Math.ceil(tail.u * 50) / 50; t <= top + 0.02; t += 0.02) {
    let k = 0;
    while (k < n && scoresDescending[k]! >= t) k++;
    console.log(`  ${t.toFixed(2)}    ${String(k).padStart(12)}   ${sci(k / n).padStart(13)}   ${sci(farAt(tail, t)).padStart(12)}   ${sci(normalSurvival((t - mean) / sd)).padStart(12)}`);
  }
}

/** How the extrapolated thresholds move with the tail fraction, and a fit on less data predicting more. */
export function printTailChecks(scoresDescending: Float32Array): void {
  const n = scoresDescending.length;
  const fars = [1e-6, 1e-7, 1e-8, 1e-9];
  console.log('  threshold at FAR ' + fars.map(sci).join(' / ') + ', by tail fraction the GPD is fitted above:');
  for (const fraction of [3e-3, 1e-3, 3e-4]) {
    if (fraction * n < 50) continue;
    const t = fitScoreTail(scoresDescending.slice(), fraction);
    console.log(`    ${sci(fraction)}: xi ${t.xi.toFixed(3)}  ` + fars.map((f) => scoreAtFar(t, f).toFixed(4)).join(' / '));
  }
  // Predictive check: fitted on the top 1e-2 only, does the tail predict what was observed far beyond it?
  const coarse = fitScoreTail(scoresDescending.slice(), 1e-2);
  const points = [1e-4, 1e-5, 1e-6].filter((f) => f * n >= 5);
  console.log('  extrapolation check (GPD fitted above the 1e-2 quantile only): ' + points.map((f) => {
    const t = scoresDescending[Math.floor(f * n) - 1]!;
    return `observed FAR ${sci(f)} at ${t.toFixed(4)}, predicted ${sci(farAt(coarse, t))}`;
  }).join('; '));
}

export function printIntervals(intervals: readonly (ThresholdInterval & { threshold: number })[]): void {
  console.log('  cluster bootstrap over identities (90 % interval of the threshold):');
  for (const i of intervals) console.log(`    FAR ${sci(i.far)}: ${i.threshold.toFixed(4)}  [${i.lo.toFixed(4)}, ${i.hi.toFixed(4)}]`);
}

export function printGalleryThresholds(cal: OpenSetCalibration, genuineCentred: Float64Array): void {
  console.log('  decision threshold at target FPIR 1 % by gallery size (one face per subject), and TAR of same-identity pairs there:');
  for (const n of [10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000]) {
    const t = openSetThreshold(cal, 0.01, n);
    let above = 0;
    for (const g of genuineCentred) if (g >= t.threshold) above++;
    console.log(`    N=${String(n).padStart(9)}: threshold ${t.threshold.toFixed(4)} (per-pair FAR ${sci(t.perPairFar)}), ambiguity margin ${t.margin.toFixed(4)}, TAR ${(100 * above / genuineCentred.length).toFixed(2)} %`);
  }
}
