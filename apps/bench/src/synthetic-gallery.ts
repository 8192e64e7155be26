import { faceLikeGenerator } from '@facerec/vector-index/synthetic';

/** What bench:identify and bench:ann search: face-like vectors of `perSubject` photos per subject, and fresh probes. */
export interface SyntheticGallery {
  subjects: number;
  /** n x dim, row i is a photo of subject floor(i / perSubject). */
  data: Float32Array;
  /** probes x dim, fresh photos of enrolled subjects. */
  probes: Float32Array;
  probeSubjects: number[];
}

/** One definition of the benchmark gallery, so both benchmarks measure the same data with the same probes. */
export function syntheticGallery(n: number, probesN: number, dim: number, perSubject: number): SyntheticGallery {
  const subjects = Math.ceil(n / perSubject);
  const g = faceLikeGenerator({ seed: 7 });
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) g.sample(Math.floor(i / perSubject), data, i * dim);
  const pg = faceLikeGenerator({ seed: 7, photoSeed: 99 });
  // A multiplicative hash spreads the probes over the subjects.
  const probeSubjects = Array.from({ length: probesN }, (_, p) => Math.floor(((p * 2_654_435_761) >>> 0) % subjects));
  const probes = new Float32Array(probesN * dim);
  probeSubjects.forEach((s, p) => pg.sample(s, probes, p * dim));
  return { subjects, data, probes, probeSubjects };
}
