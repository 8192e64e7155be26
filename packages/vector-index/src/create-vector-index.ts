import { z } from 'zod';
import { ValidationError } from '@facerec/errors';
import { EmbeddedVectorIndex } from './embedded/embedded-index.ts';
import { QdrantVectorIndex } from './qdrant/qdrant-index.ts';
import type { HnswSettings, VectorIndex } from './vector-index.ts';

/**
 * Chosen by measured recall on face-like 128-d data (5 photos per subject, genuine cosine 0.5-0.8), 100k faces,
 * 300 probes, recall@10 against brute force (see README.md in this package for the table):
 *   M16 efC128: ef64 0.82, ef256 0.94, ef512 0.977        M32 efC128: ef64 0.90, ef256 0.975, ef512 0.995
 *   M32 efC256: ef512 0.996 (build 2x slower for +0.001)  i8 M32 efC128: caps at 0.94 (r@1 0.963) -> f32
 * recall@1 is already 1.0 from ef128 on M32; it is the impostor tail of the top 10 that needs the wide beam.
 */
export const DEFAULT_HNSW: HnswSettings = { m: 32, efConstruct: 128, efSearch: 512 };

/** How the embedded graph stores vectors; the exact f32 vectors stay in SQLite for rescoring either way. */
export const DEFAULT_QUANTIZATION: 'none' | 'int8' | 'float16' = 'none';

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
