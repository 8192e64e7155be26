import { NotFoundError, ValidationError, VectorError } from '@facerec/errors';
import type { SearchOptions, VectorRecord } from './vector-index.ts';

/**
 * Checks length and finiteness and returns a unit-length copy. Cosine is the only metric either adapter uses,
 * and storing unit vectors makes it a plain dot product everywhere (exact rescoring, brute force, Qdrant).
 */
/** |norm² - 1| below which a float32 vector counts as unit length: a few float32 roundings of 128..4096 terms. */
const UNIT_TOLERANCE = 1e-6;

export function normalizedCopy(vector: Float32Array, dimension: number): Float32Array {
  if (!(vector instanceof Float32Array)) throw new VectorError('Vector must be a Float32Array', 'invalid_vector');
  if (vector.length !== dimension) {
    throw new VectorError(`Vector has ${vector.length} dimensions, the collection expects ${dimension}`, 'dimension_mismatch', {
      expected: dimension,
      actual: vector.length,
    });
  }
  let sum = 0;
  for (let i = 0; i < dimension; i++) {
    const x = vector[i]!;
    if (!Number.isFinite(x)) throw new VectorError(`Vector holds a non-finite value at index ${i}`, 'invalid_vector');
    sum += x * x;
  }
  // A zero vector has no direction, so no cosine: reject rather than store something that matches nothing.
  if (!(sum > 0) || !Number.isFinite(sum)) throw new VectorError('Vector has zero or non-finite length', 'invalid_vector');
  // Already unit length to float32 precision (what `get` returned, an exported embedding): kept bit for bit.
  // Scaling it by 1 +- 1e-7 would move a few components by one ulp, so a collection exported and imported
  // again would score a hair differently from the original.
  if (Math.abs(sum - 1) <= UNIT_TOLERANCE) return Float32Array.from(vector);
  const inv = 1 / Math.sqrt(sum);
  const out = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) out[i] = vector[i]! * inv;
  return out;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

const COLLECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** Names become file names (embedded) and collection names (Qdrant), so keep them to a safe alphabet. */
export function checkCollectionName(name: string): void {
  if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) {
    throw new ValidationError(`Invalid collection name '${String(name)}': use 1-63 letters, digits, '_' or '-'`, 'invalid_collection');
  }
}

export function checkDimension(dimension: number): void {
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > 4096) {
    throw new ValidationError(`Invalid dimension ${dimension}: expected an integer in 1..4096`, 'invalid_dimension');
  }
}

export function checkSearchOptions(opts: SearchOptions): void {
  if (!Number.isInteger(opts.topK) || opts.topK < 1 || opts.topK > 10_000) {
    throw new ValidationError(`Invalid topK ${opts.topK}: expected an integer in 1..10000`, 'invalid_top_k');
  }
}

export function collectionNotFound(name: string): NotFoundError {
  return new NotFoundError(`Collection '${name}' does not exist`, 'collection_not_found');
}

/**
 * Validates a batch before anything is written, so a bad record rejects the whole batch instead of leaving half
 * of it committed. Later duplicates of an id win, matching what sequential upserts would do.
 */
export function prepareRecords(records: VectorRecord[], dimension: number): VectorRecord[] {
  const byId = new Map<string, VectorRecord>();
  for (const r of records) {
    if (typeof r.id !== 'string' || r.id.length === 0) throw new ValidationError('Record id must be a non-empty string');
    const subject = r.payload?.subject_id;
    if (typeof subject !== 'string' || subject.length === 0) {
      throw new ValidationError(`Record ${r.id} needs payload.subject_id`);
    }
    const vector = normalizedCopy(r.vector, dimension);
    byId.delete(r.id);
    byId.set(r.id, { id: r.id, vector, payload: { ...r.payload, face_id: r.id } });
  }
  return [...byId.values()];
}
