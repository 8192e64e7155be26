import { ConflictError } from '@facerec/errors';
import type { HnswSettings, QuantizationSettings } from '../vector-index.ts';

/** Payload fields every collection filters or groups on; strict mode (managed Qdrant's default) refuses unindexed ones. */
export const INDEXED_FIELDS = ['subject_id', 'face_id'] as const;

/** The parts of Qdrant's collection info (`GET /collections/{name}`) this adapter reads. */
export interface QdrantCollectionInfo {
  status?: string;
  points_count?: number | null;
  indexed_vectors_count?: number | null;
  config: {
    params: { vectors?: unknown };
    hnsw_config?: { m?: number; ef_construct?: number } | null;
    quantization_config?: unknown;
    strict_mode_config?: {
      enabled?: boolean | null;
      max_query_limit?: number | null;
      search_max_hnsw_ef?: number | null;
      search_allow_exact?: boolean | null;
      search_max_oversampling?: number | null;
      upsert_max_batchsize?: number | null;
    } | null;
  };
  payload_schema?: Record<string, { data_type?: string } | undefined>;
}

/** Limits the server imposes on this collection's requests (strict mode), so requests stay within them. */
export interface RequestCaps {
  maxLimit: number;
  maxHnswEf: number;
  allowExact: boolean;
  maxOversampling: number;
  maxUpsertBatch: number;
}

export interface SettingsCheck {
  dimension: number;
  /** Indexed fields with no payload index yet: created on open. */
  missingIndexes: string[];
  /** Settings that differ from this deployment's: reported, not refused (scores stay comparable). */
  drift: string[];
  caps: RequestCaps;
}

interface VectorParams {
  size?: unknown;
  distance?: unknown;
  datatype?: unknown;
  hnsw_config?: { m?: number | null; ef_construct?: number | null } | null;
  quantization_config?: unknown;
}

function quantizationName(q: unknown): string {
  if (!q || typeof q !== 'object') return 'none';
  const scalar = (q as { scalar?: { type?: unknown } }).scalar;
  if (scalar) return `scalar ${String(scalar.type)}`;
  const kind = Object.keys(q)[0];
  return kind ?? 'none';
}

/**
 * Verifies a collection made by anyone (this service, an older version, an operator) before using it. A
 * distance other than Cosine, or named vectors, would silently change every score, so those are refused;
 * other settings (HNSW, quantization, strict-mode caps) only shift speed or recall and are reported.
 */
export function checkCollectionSettings(
  name: string,
  info: QdrantCollectionInfo,
  expected: { hnsw: HnswSettings; quantization: QuantizationSettings },
): SettingsCheck {
  const vectors = info.config.params.vectors as VectorParams | undefined;
  if (!vectors || typeof vectors.size !== 'number') {
    throw new ConflictError(
      `Qdrant collection for '${name}' does not hold a single unnamed vector (named vectors: ${Object.keys(vectors ?? {}).join(', ') || 'none'}); it was not made by this service`,
      'index_settings_mismatch',
      { vectors: vectors ?? null },
    );
  }
  if (vectors.distance !== 'Cosine') {
    throw new ConflictError(
      `Qdrant collection for '${name}' uses ${String(vectors.distance)} distance; this service needs Cosine (scores would not be cosine similarities). Drop or rename that collection`,
      'index_settings_mismatch',
      { distance: vectors.distance, expected: 'Cosine' },
    );
  }

  const drift: string[] = [];
  // A per-vector HNSW config overrides the collection's, field by field (null = inherit).
  const hnsw = {
    m: vectors.hnsw_config?.m ?? info.config.hnsw_config?.m ?? undefined,
    ef_construct: vectors.hnsw_config?.ef_construct ?? info.config.hnsw_config?.ef_construct ?? undefined,
  };
  if (hnsw.m !== undefined && hnsw.m !== expected.hnsw.m) drift.push(`hnsw m is ${hnsw.m}, configured ${expected.hnsw.m}`);
  if (hnsw.ef_construct !== undefined && hnsw.ef_construct !== expected.hnsw.efConstruct) {
    drift.push(`hnsw ef_construct is ${hnsw.ef_construct}, configured ${expected.hnsw.efConstruct}`);
  }
  const have = quantizationName(vectors.quantization_config ?? info.config.quantization_config);
  const want = expected.quantization.type === 'int8' ? 'scalar int8' : 'none';
  if (have !== want) drift.push(`quantization is ${have}, configured ${want}`);
  if (vectors.datatype !== undefined && vectors.datatype !== null && vectors.datatype !== 'float32') {
    drift.push(`vectors are stored as ${String(vectors.datatype)}, not float32`);
  }

  const missingIndexes: string[] = [];
  for (const field of INDEXED_FIELDS) {
    const index = info.payload_schema?.[field];
    if (!index) missingIndexes.push(field);
    else if (index.data_type !== 'keyword') drift.push(`payload index on ${field} is ${String(index.data_type)}, expected keyword`);
  }

  const strict = info.config.strict_mode_config;
  const on = strict?.enabled === true;
  const caps: RequestCaps = {
    maxLimit: (on && strict?.max_query_limit) || Number.POSITIVE_INFINITY,
    maxHnswEf: (on && strict?.search_max_hnsw_ef) || Number.POSITIVE_INFINITY,
    allowExact: !(on && strict?.search_allow_exact === false),
    maxOversampling: (on && strict?.search_max_oversampling) || Number.POSITIVE_INFINITY,
    maxUpsertBatch: (on && strict?.upsert_max_batchsize) || Number.POSITIVE_INFINITY,
  };
  if (caps.maxHnswEf < expected.hnsw.efSearch) drift.push(`strict mode caps hnsw_ef at ${caps.maxHnswEf}, configured ef_search ${expected.hnsw.efSearch}`);
  if (!caps.allowExact) drift.push('strict mode forbids exact search: filtered searches use the graph and counts are approximate');
  return { dimension: vectors.size, missingIndexes, drift, caps };
}
