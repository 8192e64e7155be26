import { VectorError } from '@facerec/errors';

export interface ThresholdSource {
  value: number;
  /** Where the default came from, reported by /health: `MATCH_THRESHOLD`, or the calibration's name. */
  source: string;
}

/**
 * Vector checks and the match decision, shared by every route that compares faces. `similarity` is the raw
 * cosine; the decision uses the request's threshold, else the configured/calibrated one.
 */
export class FeatureMatcher {
  readonly dimension: number;
  readonly threshold: ThresholdSource;

  constructor(dimension: number, threshold: ThresholdSource) {
    this.dimension = dimension;
    this.threshold = threshold;
  }

  /** Validates a client-supplied vector: an array of `dimension` finite numbers, not all zero. */
  toVector(value: unknown, field: string): Float32Array {
    if (!Array.isArray(value)) throw new VectorError(`${field} must be an array of ${this.dimension} numbers`, 'invalid_vector');
    if (value.length !== this.dimension) {
      throw new VectorError(`${field} has ${value.length} values; this service's embedder produces ${this.dimension}`, 'dimension_mismatch', {
        expected: this.dimension,
        received: value.length,
      });
    }
    const out = new Float32Array(value.length);
    let norm = 0;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new VectorError(`${field}[${i}] is not a finite number`, 'invalid_vector');
      }
      out[i] = v;
      norm += v * v;
    }
    if (norm === 0) throw new VectorError(`${field} is the zero vector, which has no direction to compare`, 'invalid_vector');
    return out;
  }

  /** Parses a form field that holds a JSON array (compare_image_feature's `feature`). */
  parseVectorField(raw: string, field: string): Float32Array {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new VectorError(`${field} must be a JSON array of ${this.dimension} numbers`, 'invalid_vector');
    }
    return this.toVector(value, field);
  }

  decide(a: ArrayLike<number>, b: ArrayLike<number>, requested?: number) {
    const threshold = requested ?? this.threshold.value;
    const similarity = cosine(a, b);
    return { similarity: Number(similarity.toFixed(6)), is_same_person: similarity >= threshold, threshold };
  }
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}
