import usearch from 'usearch';

/**
 * Brute-force cosine top-k for ground truth in benchmarks and tests. Uses usearch's exact kernel because a
 * JavaScript loop over a million vectors per probe would make the ground truth slower than the thing measured.
 * Returns row numbers into `dataset` (k per query, best first).
 */
export function exactTopK(dataset: Float32Array, queries: Float32Array, dimension: number, k: number): Int32Array {
  const n = queries.length / dimension;
  const out = new Int32Array(n * k).fill(-1);
  const res = usearch.exactSearch(dataset, queries, dimension, k, usearch.MetricKind.Cos, 0);
  if ('counts' in res) {
    for (let q = 0; q < n; q++) {
      const m = res.get(q);
      for (let i = 0; i < m.keys.length; i++) out[q * k + i] = Number(m.keys[i]!);
    }
  } else {
    for (let i = 0; i < res.keys.length; i++) out[i] = Number(res.keys[i]!);
  }
  return out;
}
