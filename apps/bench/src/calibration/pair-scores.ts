import type { Domain } from './labelled-sets.ts';
import { faceCount } from './labelled-sets.ts';

function dot(v: Float32Array, a: number, b: number, dim: number): number {
  let s = 0;
  const oa = a * dim;
  const ob = b * dim;
  for (let k = 0; k < dim; k++) s += v[oa + k]! * v[ob + k]!;
  return s;
}

/** Every within-domain pair of faces (of gallery quality only, when asked), split into same-identity and different-identity scores. */
export function allPairs(d: Domain, vectors: Float32Array, galleryQuality = false): { genuine: Float64Array; impostor: Float32Array } {
  const n = faceCount(d);
  const genuine: number[] = [];
  const impostor = new Float32Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (galleryQuality && !d.passed[i]) continue;
    for (let j = i + 1; j < n; j++) {
      if (galleryQuality && !d.passed[j]) continue;
      const s = dot(vectors, i, j, d.dimension);
      if (d.identity[i] === d.identity[j]) genuine.push(s);
      else impostor[k++] = s;
    }
  }
  return { genuine: Float64Array.from(genuine), impostor: impostor.slice(0, k) };
}

/**
 * Impostor pairs of two faces that both pass the enrollment quality gate, within one domain: an enrolled face
 * and a probe of usable quality. (Probes that fail the gate were measured separately: full profiles against
 * frontal faces have a lighter tail, so the threshold stays conservative for them.) Each score keeps its
 * identity pair, for the cluster bootstrap.
 */
export interface GalleryImpostors {
  scores: Float32Array;
  /** a * identities + b (a < b) per score. */
  identityPair: Uint32Array;
  /** pairCounts[a * identities + b], a < b. */
  pairCounts: Float64Array;
}

export function galleryImpostors(d: Domain, vectors: Float32Array): GalleryImpostors {
  const n = faceCount(d);
  const ids = d.identities.length;
  const scores: number[] = [];
  const pairs: number[] = [];
  const pairCounts = new Float64Array(ids * ids);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = d.identity[i]!;
      const b = d.identity[j]!;
      if (a === b || !d.passed[i] || !d.passed[j]) continue;
      const key = a < b ? a * ids + b : b * ids + a;
      scores.push(dot(vectors, i, j, d.dimension));
      pairs.push(key);
      pairCounts[key]! += 1;
    }
  }
  return { scores: Float32Array.from(scores), identityPair: Uint32Array.from(pairs), pairCounts };
}

/**
 * Impostor scores of a 3-face subject template (the normalised sum of its centred faces, as collections score
 * subjects) against single gallery-quality faces of other identities: templates are cleaner vectors, so their
 * impostor tail is heavier than a single face's and a gallery of them counts for more comparisons.
 */
export function templateImpostors(d: Domain, vectors: Float32Array, k = 3): Float32Array {
  const n = faceCount(d);
  const dim = d.dimension;
  const byIdentity = new Map<number, number[]>();
  for (let i = 0; i < n; i++) if (d.passed[i]) (byIdentity.get(d.identity[i]!) ?? byIdentity.set(d.identity[i]!, []).get(d.identity[i]!)!).push(i);
  const templates: { identity: number; v: Float32Array }[] = [];
  for (const [identity, faces] of byIdentity) {
    if (faces.length < k + 1) continue;
    const v = new Float32Array(dim);
    for (const f of faces.slice(0, k)) for (let c = 0; c < dim; c++) v[c]! += vectors[f * dim + c]!;
    const inv = 1 / Math.hypot(...v);
    for (let c = 0; c < dim; c++) v[c]! *= inv;
    templates.push({ identity, v });
  }
  const out: number[] = [];
  for (const t of templates) {
    for (let i = 0; i < n; i++) {
      if (!d.passed[i] || d.identity[i] === t.identity) continue;
      let s = 0;
      for (let c = 0; c < dim; c++) s += t.v[c]! * vectors[i * dim + c]!;
      out.push(s);
    }
  }
  return Float32Array.from(out);
}
