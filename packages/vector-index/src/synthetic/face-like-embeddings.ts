/**
 * Synthetic 128-d embeddings shaped like a face model's output, for tests and benchmarks only.
 *
 * Real identities are not uniform random points: two photos of one person typically score cosine 0.5-0.8 and
 * strangers 0.0-0.3. Uniform random vectors make ANN search look far easier than it is (every query has one
 * obvious neighbour), so each subject gets a centre and each photo is the centre plus per-subject noise whose
 * strength is drawn so that genuine pairs land in that 0.5-0.8 band. A mild anisotropic spectrum gives the
 * impostor distribution a realistic small positive mean instead of exactly 0.
 */

/** Deterministic PRNG (mulberry32) so a benchmark run and its ground truth can be regenerated from a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(rand: () => number): number {
  // Box-Muller; 1 - rand() keeps the log argument out of zero.
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export function normalizeInPlace(v: Float32Array, offset = 0, dim = v.length - offset): void {
  let sum = 0;
  for (let i = 0; i < dim; i++) sum += v[offset + i]! * v[offset + i]!;
  const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  for (let i = 0; i < dim; i++) v[offset + i]! *= inv;
}

export interface FaceLikeGenerator {
  readonly dimension: number;
  /** A subject's identity centre (unit length). */
  subjectCentre(subject: number): Float32Array;
  /** One "photo" of the subject: centre plus that subject's noise, written into `out` at `offset` (unit length). */
  sample(subject: number, out?: Float32Array, offset?: number): Float32Array;
}

export interface FaceLikeOptions {
  dimension?: number;
  seed?: number;
  /** Range of genuine-pair cosine between two photos of one subject; each subject draws its own target. */
  genuineCosine?: [number, number];
  /** Seeds the per-photo noise separately from the identities, so probes can be fresh photos of enrolled subjects. */
  photoSeed?: number;
}

export function faceLikeGenerator(opts: FaceLikeOptions = {}): FaceLikeGenerator {
  const dimension = opts.dimension ?? 128;
  const seed = opts.seed ?? 1;
  const [gLo, gHi] = opts.genuineCosine ?? [0.5, 0.8];
  // Shared offset + decaying per-axis scale: impostor cosine centres near 0.1 rather than 0.
  const mean = new Float32Array(dimension);
  const scale = new Float32Array(dimension);
  const r0 = seededRandom(seed * 7919 + 13);
  for (let i = 0; i < dimension; i++) {
    mean[i] = gaussian(r0);
    scale[i] = 1 / Math.sqrt(1 + i / 24);
  }
  normalizeInPlace(mean);

  // Centres are regenerated from (seed, subject) on demand so 1M faces need no per-subject table.
  const centre = (subject: number, out: Float32Array): number => {
    const r = seededRandom((seed * 1_000_003 + subject * 2_654_435_761) >>> 0);
    for (let i = 0; i < dimension; i++) out[i] = gaussian(r) * scale[i]!;
    normalizeInPlace(out);
    for (let i = 0; i < dimension; i++) out[i] = out[i]! + 0.35 * mean[i]!;
    normalizeInPlace(out);
    // Two independent photos with noise n (per-axis sd sigma/sqrt(d)) score about 1/(1+sigma^2) with each other.
    const target = gLo + (gHi - gLo) * r();
    return Math.sqrt(1 / target - 1);
  };

  const photoRand = seededRandom((opts.photoSeed ?? seed) ^ 0x9e3779b9);
  const tmp = new Float32Array(dimension);
  return {
    dimension,
    subjectCentre(subject) {
      const out = new Float32Array(dimension);
      centre(subject, out);
      return out;
    },
    sample(subject, out = new Float32Array(dimension), offset = 0) {
      const sigma = centre(subject, tmp) / Math.sqrt(dimension);
      for (let i = 0; i < dimension; i++) out[offset + i] = tmp[i]! + sigma * gaussian(photoRand);
      normalizeInPlace(out, offset, dimension);
      return out;
    },
  };
}

export function cosine(a: Float32Array, b: Float32Array, aOff = 0, bOff = 0, dim = a.length - aOff): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < dim; i++) {
    const x = a[aOff + i]!;
    const y = b[bOff + i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb || 1);
}
