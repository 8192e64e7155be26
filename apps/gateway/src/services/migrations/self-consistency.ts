import { SubjectScorer } from '@facerec/collections';

/** Faces listed in a report that no longer match their subject. */
const LISTED = 50;

export interface ConsistencyResult {
  subjects: number;
  faces: number;
  consistent: number;
  rate: number | null;
  inconsistent: Array<{ subject_id: string; face_id: string; similarity: number }>;
}

/**
 * Whether each subject still holds together in a vector space: every face of a subject with two or more
 * faces, centred by the collection's mean face, against the template (normalised sum) of the subject's other
 * faces, as verify would score a new photo of them. At or above `threshold` it is consistent.
 */
export class ConsistencyTally {
  private readonly mu: Float32Array;
  private readonly threshold: number;
  private subjects = 0;
  private faces = 0;
  private consistent = 0;
  private readonly inconsistent: ConsistencyResult['inconsistent'] = [];

  constructor(mu: Float32Array, threshold: number) {
    this.mu = mu;
    this.threshold = threshold;
  }

  add(subjectId: string, faces: ReadonlyArray<{ id: string; vector: Float32Array }>): void {
    const centred = faces.flatMap((f) => {
      const g = SubjectScorer.centre(f.vector, this.mu);
      return g ? [{ id: f.id, g }] : [];
    });
    if (centred.length < 2) return;
    this.subjects++;
    const total = new Float64Array(this.mu.length);
    for (const { g } of centred) for (let i = 0; i < g.length; i++) total[i]! += g[i]!;
    for (const { id, g } of centred) {
      let dot = 0;
      let norm = 0;
      for (let i = 0; i < g.length; i++) {
        const t = total[i]! - g[i]!;
        dot += g[i]! * t;
        norm += t * t;
      }
      if (!(norm > 1e-12)) continue;
      const similarity = dot / Math.sqrt(norm);
      this.faces++;
      if (similarity >= this.threshold) this.consistent++;
      else if (this.inconsistent.length < LISTED) this.inconsistent.push({ subject_id: subjectId, face_id: id, similarity: Number(similarity.toFixed(6)) });
    }
  }

  result(): ConsistencyResult {
    return {
      subjects: this.subjects,
      faces: this.faces,
      consistent: this.consistent,
      rate: this.faces === 0 ? null : Number((this.consistent / this.faces).toFixed(6)),
      inconsistent: this.inconsistent,
    };
  }
}
