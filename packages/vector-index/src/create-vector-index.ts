import { z } from 'zod';
import { ValidationError } from '@facerec/errors';
import { EmbeddedVectorIndex } from './embedded/embedded-index.ts';
import { QdrantVectorIndex } from './qdrant/qdrant-index.ts';
import type { HnswSettings, VectorIndex } from './vector-index.ts';

/**
 * Chosen at 1M face-like 128-d faces (5 photos per subject, genuine cosine 0.5-0.8; bench:ann, int8 graph re-scored
 * exactly, 1,000 probes) by mate recall: of the probe's own faces that exact search ranks in the top 10 above the 1M
 * decision threshold, the share found, and top-1 subject agreement with exact search (README.md in this package has
 * the tables). On 2-core Xeon VMs, mate recall / top-1 agreement, graph-only p50 / p99:
 *   M48 efC128: ef256 1.000 / 1.000 in 3.8-4.0 / 6.0-18.7 ms, ef384 1.000 / 1.000 in 5.3 / 6.3-6.6 ms
 *   M48 efC256, four builds on two VMs: top-1 agreement at ef160 0.999, 0.999, 0.997 and 0.998; at ef224 1.000,
 *   0.999, 0.999 and 0.999 with mate recall >= 0.9994; ef224 in 2.7-4.1 / 3.2-5.8 ms on the graph, 3.9 / 4.7 and
 *   3.3 / 3.9 ms through the real index. ef224 is the narrowest beam that met both targets on every build.
 * A graph built with a wider beam needs a narrower one to search: its links lead out of the crowd of impostors,
 * where a greedy walk stalls. It costs nothing per face, but inserts run ~1.9x slower (1,498 against 2,792
 * faces/s durable at 100k), which is still ~25x what one extraction worker produces. The same graph built on
 * another machine (multi-threaded builds differ) gave efC128 only 0.998 top-1 agreement at ef256, hence the wider
 * build rather than a narrower beam on the old one. M48 over M32: at efC128 on the EPYC, M32 needed ef512 for
 * 0.9994 mate recall where M48 reached it at ef384, for 128 B more per face.
 */
export const DEFAULT_HNSW: HnswSettings = { m: 48, efConstruct: 256, efSearch: 224 };

/**
 * How the graph stores vectors; the exact f32 vectors stay in SQLite (Qdrant: the original vectors) and re-score every
 * candidate, so only which candidates are found can change, never a score. int8 because at 1M face-like faces
 * (bench:ann, M32 ef_construct 128, 1,000 probes, 2-core EPYC) it found the same mates as f32 (mate recall 0.9994 at
 * ef_search 512 against f32's 0.9992) in 10 ms p50 on the graph alone, against 18 for f32 through the real index
 * (SQLite re-scoring adds about 1 ms), in a graph of 512 instead of ~900 B per face: a hop reads 128 bytes of
 * vector instead of 512, and at 1M the search is bound by those memory reads.
 */
export const DEFAULT_QUANTIZATION: 'none' | 'int8' | 'float16' = 'int8';

const optionsSchema = z.object({
  dataDir: z.string().min(1),
  qdrantUrl: z.url().optional(),
  qdrantApiKey: z.string().optional(),
  qdrantCollectionPrefix: z.string().regex(/^[A-Za-z0-9_-]*$/).default('facerec_'),
  hnsw: z
    .object({
      m: z.number().int().min(4).max(128).default(DEFAULT_HNSW.m),
      efConstruct: z.number().int().min(8).max(2048).default(DEFAULT_HNSW.efConstruct),
      efSearch: z.number().int().min(8).max(8192).default(DEFAULT_HNSW.efSearch),
    })
    .prefault({}),
  quantization: z
    .object({ type: z.enum(['none', 'int8', 'float16']).default(DEFAULT_QUANTIZATION), rescore: z.boolean().default(true) })
    .prefault({}),
  /** Embedded only: save a collection's graph file after this many changes (and always on close). */
  saveEveryChanges: z.number().int().min(1).default(200_000),
  /** Embedded only: save dirty graph files on this timer; 0 turns the timer off. */
  saveIntervalMs: z.number().int().min(0).default(300_000),
  /** Qdrant only: most points per upsert request. */
  qdrantUpsertBatch: z.number().int().min(1).max(10_000).default(512),
  /** Qdrant only: most bytes of JSON per upsert request (Qdrant's own limit is 32 MB by default). */
  qdrantMaxRequestBytes: z.number().int().min(64 * 1024).default(4 * 1024 * 1024),
  /** Qdrant only: budget of each call, retries included; past it the call fails with 503 `index_unavailable`. */
  qdrantTimeoutMs: z.number().int().min(50).default(2_000),
  /** Qdrant only: extra attempts after a transient failure (connection refused or reset, 502/503/504). */
  qdrantRetries: z.number().int().min(0).max(5).default(2),
  /** Qdrant only: `optimizers_config.indexing_threshold` (KB) of collections it creates; tests lower it to force HNSW. */
  qdrantIndexingThresholdKb: z.number().int().min(0).optional(),
  /** Hears non-fatal findings, such as a Qdrant collection whose settings differ from these. */
  onWarning: z.custom<(message: string, details: Record<string, unknown>) => void>((v) => typeof v === 'function').optional(),
});

export type CreateVectorIndexOptions = z.input<typeof optionsSchema>;

/** The one place that picks an adapter: Qdrant when a URL is configured, otherwise the embedded index. */
export async function createVectorIndex(options: CreateVectorIndexOptions): Promise<VectorIndex> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new ValidationError(`Invalid vector index options: ${z.prettifyError(parsed.error)}`, 'invalid_config');
  const o = parsed.data;
  if (o.qdrantUrl) {
    return new QdrantVectorIndex({
      url: o.qdrantUrl,
      apiKey: o.qdrantApiKey,
      collectionPrefix: o.qdrantCollectionPrefix,
      hnsw: o.hnsw,
      // float16 is how the embedded graph holds its copy of the vectors; Qdrant keeps f32 (int8 is its quantization).
      quantization: { type: o.quantization.type === 'int8' ? 'int8' : 'none', rescore: o.quantization.rescore },
      upsertBatch: o.qdrantUpsertBatch,
      maxRequestBytes: o.qdrantMaxRequestBytes,
      timeoutMs: o.qdrantTimeoutMs,
      retries: o.qdrantRetries,
      optimizers: { indexingThresholdKb: o.qdrantIndexingThresholdKb },
      onWarning: o.onWarning,
    });
  }
  return new EmbeddedVectorIndex({
    dataDir: o.dataDir,
    hnsw: o.hnsw,
    scalar: o.quantization.type === 'int8' ? 'i8' : o.quantization.type === 'float16' ? 'f16' : 'f32',
    rescore: o.quantization.rescore,
    saveEveryChanges: o.saveEveryChanges,
    saveIntervalMs: o.saveIntervalMs,
  });
}
