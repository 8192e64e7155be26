import { basename } from 'node:path';
import type { FacePipeline } from '@facerec/face';
import { embedFile, mapLimit } from '../embed-files.ts';
import { listIdentityImages } from '../image-files.ts';

/** One data set's primary faces: a "domain" whose photos share a source (camera, crop, compression). */
export interface Domain {
  name: string;
  identities: string[];
  /** identity index per face. */
  identity: Int32Array;
  /** Passed the enrollment quality gate (gallery quality). */
  passed: Uint8Array;
  dimension: number;
  /** faces x dimension, L2-normalised rows. */
  vectors: Float32Array;
  images: number;
  failures: string[];
}

/** Embeds every image of `<root>/<identity>/*` with the real pipeline (2 in flight). */
export async function embedDomain(pipeline: FacePipeline, root: string): Promise<Domain> {
  const images = await listIdentityImages(root);
  const results = await mapLimit(images, 2, (img) => embedFile(pipeline, img.path));
  const identities = [...new Set(images.map((i) => i.identity))];
  const idIndex = new Map(identities.map((id, i) => [id, i]));
  const ok = results.flatMap((r, i) => (typeof r === 'string' ? [] : [{ r, identity: idIndex.get(images[i]!.identity)! }]));
  const dimension = pipeline.dimension;
  const vectors = new Float32Array(ok.length * dimension);
  ok.forEach((o, i) => vectors.set(o.r.embedding, i * dimension));
  return {
    name: basename(root),
    identities,
    identity: Int32Array.from(ok.map((o) => o.identity)),
    passed: Uint8Array.from(ok.map((o) => (o.r.passed ? 1 : 0))),
    dimension,
    vectors,
    images: images.length,
    failures: results.flatMap((r, i) => (typeof r === 'string' ? [`${images[i]!.path}: ${r}`] : [])),
  };
}

export function faceCount(d: Domain): number {
  return d.identity.length;
}

/**
 * The domain's faces centred on its mean gallery-quality face and re-normalised: what a collection of these
 * photos scores with once its own centroid is known.
 */
export function centred(d: Domain): Float32Array {
  const n = faceCount(d);
  const dim = d.dimension;
  const mean = new Float64Array(dim);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (!d.passed[i]) continue;
    m++;
    for (let k = 0; k < dim; k++) mean[k]! += d.vectors[i * dim + k]!;
  }
  for (let k = 0; k < dim; k++) mean[k]! /= Math.max(1, m);
  const out = new Float32Array(d.vectors.length);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < dim; k++) {
      const v = d.vectors[i * dim + k]! - mean[k]!;
      out[i * dim + k] = v;
      s += v * v;
    }
    const inv = 1 / Math.sqrt(s);
    for (let k = 0; k < dim; k++) out[i * dim + k]! *= inv;
  }
  return out;
}
