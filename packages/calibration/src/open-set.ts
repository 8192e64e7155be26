import { z } from 'zod';
import { farAt, farHazard, scoreAtFar, scoreTailSchema } from './score-tail.ts';

/**
 * What an embedder's open-set (1:N) decisions rest on, stored in the model manifest. Scores are cosines after
 * subtracting the collection's mean face embedding ("centred"): that removes what the photos of one source
 * share (camera, crop, compression), which otherwise lifts every impostor score of that source and made a
 * per-pair threshold measured on one data set wrong on another (measured: FAR 1e-4 at 0.43 on facescrub, 0.50
 * on cfp raw; 0.40 and 0.42 centred).
 */
export const openSetCalibrationSchema = z.object({
  dataset: z.string(),
  identities: z.number().int().positive(),
  images: z.number().int().positive(),
  impostor_pairs: z.number().int().positive(),
  /** Pseudo-count of a zero mean in the collection's centroid, so a 1-face gallery is not centred onto itself. */
  centroid_prior_faces: z.number().nonnegative(),
  /** Per-pair FAR of centred impostor scores between a gallery-quality face and any face. */
  tail: scoreTailSchema,
  /**
   * A subject scored by the template of several faces has a heavier impostor tail than a one-face subject: it
   * counts as 1 + template_weight gallery entries (measured with 3-face templates).
   */
  template_weight: z.number().nonnegative(),
  /** `ambiguous` when the top subject is less than this many times likelier than the runner-up (by the tail's slope). */
  ambiguity_likelihood_ratio: z.number().gt(1),
  /** Cluster-bootstrap (over identities) 90 % intervals of the threshold at far-tail FARs. */
  uncertainty: z.array(z.object({ far: z.number(), threshold: z.number(), lo: z.number(), hi: z.number() })),
  measured_at: z.string(),
  pipeline: z.string(),
});
export type OpenSetCalibration = z.infer<typeof openSetCalibrationSchema>;

/**
 * Independent comparisons a probe makes against the gallery: one per one-face subject, 1 + w per subject
 * scored by a multi-face template. Only counts are known cheaply, so a subject with several faces is assumed
 * wherever there are spare faces (exact for one-face galleries, otherwise an upper bound: stricter, never looser).
 */
export function galleryEntries(subjects: number, faces: number, templateWeight: number): number {
  const multi = Math.max(0, Math.min(subjects, faces - subjects));
  return Math.max(1, subjects + templateWeight * multi);
}

/** The per-pair FAR at which `entries` independent comparisons give `targetFpir`: 1 - (1 - fpir)^(1/N). */
export function perPairFarForFpir(targetFpir: number, entries: number): number {
  if (!(targetFpir > 0 && targetFpir < 1)) throw new RangeError(`target FPIR must be in (0, 1), got ${targetFpir}`);
  return -Math.expm1(Math.log1p(-targetFpir) / Math.max(1, entries));
}

/** The chance that at least one of `entries` comparisons reaches a score whose per-pair FAR is `far`. */
export function fpirFromFar(far: number, entries: number): number {
  return -Math.expm1(Math.max(1, entries) * Math.log1p(-Math.min(far, 1 - 1e-16)));
}

export interface OpenSetThreshold {
  threshold: number;
  perPairFar: number;
  /** A top score and a runner-up both above the threshold and closer than this are `ambiguous`. */
  margin: number;
}

/** The decision threshold that keeps the false-positive identification rate at `targetFpir` for this gallery. */
export function openSetThreshold(cal: OpenSetCalibration, targetFpir: number, entries: number): OpenSetThreshold {
  const perPairFar = perPairFarForFpir(targetFpir, entries);
  const threshold = scoreAtFar(cal.tail, perPairFar);
  return { threshold, perPairFar, margin: ambiguityMargin(cal, threshold) };
}

/**
 * Near the threshold the impostor FAR falls by a factor e every 1/hazard of score, so a runner-up `m` below the
 * top is exp(m * hazard) times less likely to be an impostor-level coincidence; the margin is where that
 * reaches the calibrated likelihood ratio.
 */
export function ambiguityMargin(cal: OpenSetCalibration, threshold: number): number {
  return Math.log(cal.ambiguity_likelihood_ratio) / farHazard(cal.tail, threshold);
}

/** Per-pair FAR of a score, and the FPIR it implies against a gallery of `entries`. */
export function scoreRates(cal: OpenSetCalibration, score: number, entries: number): { far: number; fpir: number } {
  const far = farAt(cal.tail, score);
  return { far, fpir: fpirFromFar(far, entries) };
}
