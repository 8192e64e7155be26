import { galleryEntries, openSetThreshold, scoreAtFar, scoreRates, ambiguityMargin, type OpenSetCalibration } from '@facerec/calibration';
import type { CollectionRow } from './catalog.ts';

/** Default target of a new collection: 1 % of people who were never enrolled get a `match`. */
export const DEFAULT_TARGET_FPIR = 0.01;
/** Per-pair false-accept rate verify decides at unless the collection names another. */
export const DEFAULT_VERIFY_FAR = '1e-3';

export type FaceDecision = 'match' | 'unknown' | 'ambiguous';

/** The rule a collection decides by right now, and why: what `GET /v1/collections/{c}` shows. */
export interface DecisionRule {
  threshold: number;
  source: 'target_fpir' | 'threshold';
  targetFpir: number | null;
  subjects: number;
  faces: number;
  /** Independent comparisons a probe makes (one per one-face subject; see galleryEntries). */
  galleryEntries: number;
  /** The per-pair false-accept rate at the threshold. */
  perPairFar: number | null;
  /** The FPIR the threshold gives at this gallery size (the target, for target_fpir). */
  fpir: number | null;
  /** Runner-up within this of the top, both above the threshold: `ambiguous`. */
  margin: number;
  verifyThreshold: number;
  verifyFar: string | null;
  explanation: string;
}

const sci = (x: number): string => x.toExponential(1);

/**
 * Identify's threshold follows the gallery: a face of someone never enrolled meets every enrolled subject, so
 * the chance that one of them clears a fixed per-pair threshold grows with their number (1 - (1 - FAR)^N). The
 * threshold is the score whose per-pair FAR keeps that chance at the collection's target FPIR.
 */
export function decisionRule(col: CollectionRow, cal: OpenSetCalibration | null, counts: { subjects: number; faces: number }): DecisionRule {
  const entries = cal ? galleryEntries(counts.subjects, counts.faces, cal.template_weight) : Math.max(1, counts.subjects);
  const verifyFar = col.threshold === null ? (col.targetFar ?? DEFAULT_VERIFY_FAR) : col.targetFar;
  if (col.threshold === null && cal) {
    const target = col.targetFpir ?? DEFAULT_TARGET_FPIR;
    const t = openSetThreshold(cal, target, entries);
    return {
      threshold: t.threshold,
      source: 'target_fpir',
      targetFpir: target,
      ...counts,
      galleryEntries: entries,
      perPairFar: t.perPairFar,
      fpir: target,
      margin: t.margin,
      verifyThreshold: scoreAtFar(cal.tail, Number(verifyFar)),
      verifyFar,
      explanation: `the score a face of someone not enrolled reaches against one of ${Math.round(entries)} gallery entries with probability ${target} ` +
        `(per-pair FAR ${sci(t.perPairFar)}), from the ${cal.measured_at} calibration on ${cal.images} faces of ${cal.identities} people`,
    };
  }
  // A fixed threshold (given at creation, or kept from a collection made before open-set decisions).
  const threshold = col.threshold ?? 0;
  const rates = cal ? scoreRates(cal, threshold, entries) : null;
  return {
    threshold,
    source: 'threshold',
    targetFpir: null,
    ...counts,
    galleryEntries: entries,
    perPairFar: rates?.far ?? null,
    fpir: rates?.fpir ?? null,
    margin: cal ? ambiguityMargin(cal, threshold) : 0,
    verifyThreshold: threshold,
    verifyFar,
    explanation: rates
      ? `a fixed threshold; at ${Math.round(entries)} gallery entries it lets about ${(100 * rates.fpir).toPrecision(2)} % of people not enrolled match someone`
      : 'a fixed threshold',
  };
}

export interface ScoredSubject {
  subject_id: string;
  face_id: string;
  similarity: number;
}

/** `match` when the top subject clears the threshold and no runner-up also does within the margin. */
export function decideFace(rule: DecisionRule, ranked: readonly ScoredSubject[]): { decision: FaceDecision; margin: number | null } {
  const [top, second] = ranked;
  const margin = top && second ? top.similarity - second.similarity : null;
  if (!top || top.similarity < rule.threshold) return { decision: 'unknown', margin };
  if (second && second.similarity >= rule.threshold && margin !== null && margin < rule.margin) return { decision: 'ambiguous', margin };
  return { decision: 'match', margin };
}
