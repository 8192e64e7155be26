import type { VectorIndex } from '@facerec/vector-index';
import type { Catalog, Centroid } from './catalog.ts';
import type { ScoredSubject } from './decision-policy.ts';

/**
 * Scores subjects the way the open-set calibration measured them:
 * - centred: the collection's mean face is subtracted from probe and gallery vectors before the cosine. What
 *   all photos of one source share (camera, crop, compression) otherwise lifts every impostor score of that
 *   source, which made thresholds measured on one data set wrong on another;
 * - by template: a subject with several faces is scored by the normalised sum of its centred faces, which
 *   measured better rank-1 and miss rates than its best single face (README, "Subject templates").
 * The ANN index holds raw vectors; searching it with the centred probe ranks by the centred dot product, and
 * the shortlist it returns is re-scored exactly here.
 */
export class SubjectScorer {
  private readonly index: VectorIndex;
  private readonly catalog: Catalog;

  constructor(index: VectorIndex, catalog: Catalog) {
    this.index = index;
    this.catalog = catalog;
  }

  /** The centring vector: the mean enrolled face, shrunk towards 0 by `priorFaces` so tiny galleries are not centred onto themselves. */
  static mean(centroid: Centroid | null, dimension: number, priorFaces: number): Float32Array {
    const mu = new Float32Array(dimension);
    if (!centroid || centroid.sum.length !== dimension) return mu;
    const scale = 1 / (centroid.count + priorFaces);
    for (let i = 0; i < dimension; i++) mu[i] = centroid.sum[i]! * scale;
    return mu;
  }

  /** Unit-length (v - mu); null for a vector that equals mu. */
  static centre(v: ArrayLike<number>, mu: Float32Array): Float32Array | null {
    const out = new Float32Array(mu.length);
    let s = 0;
    for (let i = 0; i < mu.length; i++) {
      const x = v[i]! - mu[i]!;
      out[i] = x;
      s += x * x;
    }
    if (!(s > 1e-12)) return null;
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < mu.length; i++) out[i]! *= inv;
    return out;
  }

  /**
   * Subjects best first, each with its best-matching face, up to `limit` (or every one with a face when
   * `subjectId` is given). Only faces the catalog acknowledges count.
   */
  async rank(collectionId: string, probe: ArrayLike<number>, mu: Float32Array, opts: { limit: number; subjectId?: string }): Promise<ScoredSubject[]> {
    const q = SubjectScorer.centre(probe, mu);
    if (!q) return [];
    let subjects: string[];
    if (opts.subjectId !== undefined) subjects = [opts.subjectId];
    else {
      // A shortlist wider than asked: the exact template score can reorder the ANN's neighbours.
      const hits = await this.index.search(collectionId, q, { topK: Math.min(200, Math.max(opts.limit + 20, 2 * opts.limit)), bestPerSubject: true });
      subjects = [...new Set(hits.map((h) => h.payload.subject_id))];
    }
    const faces = await this.catalog.facesOfSubjects(collectionId, subjects);
    const ids = [...faces.values()].flat();
    const vectors = new Map((await this.index.get(collectionId, ids)).map((r) => [r.id, r.vector]));
    const scored: ScoredSubject[] = [];
    for (const [subject, faceIds] of faces) {
      const template = new Float32Array(mu.length);
      let best: { id: string; s: number } | null = null;
      for (const id of faceIds) {
        const v = vectors.get(id);
        const g = v ? SubjectScorer.centre(v, mu) : null;
        if (!g) continue;
        let s = 0;
        for (let i = 0; i < g.length; i++) {
          template[i]! += g[i]!;
          s += q[i]! * g[i]!;
        }
        if (!best || s > best.s) best = { id, s };
      }
      if (!best) continue;
      let dot = 0;
      let norm = 0;
      for (let i = 0; i < q.length; i++) {
        dot += q[i]! * template[i]!;
        norm += template[i]! * template[i]!;
      }
      scored.push({ subject_id: subject, face_id: best.id, similarity: dot / Math.sqrt(norm) });
    }
    scored.sort((a, b) => b.similarity - a.similarity || (a.subject_id < b.subject_id ? -1 : 1));
    return opts.subjectId !== undefined ? scored : scored.slice(0, opts.limit);
  }
}
