import { createHash } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import { ConflictError } from '@facerec/errors';
import {
  checkCollectionName,
  checkDimension,
  checkSearchOptions,
  collectionNotFound,
  normalizedCopy,
  prepareRecords,
} from '../vector-checks.ts';
import type {
  CollectionInfo,
  FacePayload,
  HnswSettings,
  QuantizationSettings,
  SearchHit,
  SearchOptions,
  VectorIndex,
  VectorRecord,
} from '../vector-index.ts';

export interface QdrantIndexOptions {
  url: string;
  apiKey?: string;
  /** Prepended to every collection name so several deployments or test runs can share one server. */
  collectionPrefix: string;
  hnsw: HnswSettings;
  quantization: QuantizationSettings;
  /** Points per upsert request; Qdrant's default body limit is 32 MiB and one 128-d point is ~3 KiB of JSON. */
  upsertBatch: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Qdrant only accepts uuids or integers as point ids; other ids get a stable name-based uuid (v5 layout). */
export function pointId(faceId: string): string {
  if (UUID.test(faceId)) return faceId.toLowerCase();
  const h = createHash('sha1').update(`facerec:${faceId}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown })?.status;
  return typeof s === 'number' ? s : undefined;
}

type RawPayload = Record<string, unknown> | null | undefined;

/** Drops the bookkeeping field so both adapters hand back the same payload shape. */
function toFacePayload(raw: RawPayload): FacePayload {
  const { collection: _c, ...rest } = (raw ?? {}) as Record<string, unknown>;
  return rest as FacePayload;
}

export class QdrantVectorIndex implements VectorIndex {
  readonly kind = 'qdrant' as const;
  private readonly client: QdrantClient;
  /** Dimensions are immutable per collection, so caching them saves a round trip on every write and search. */
  private readonly dimensions = new Map<string, number>();

  private readonly opts: QdrantIndexOptions;

  constructor(opts: QdrantIndexOptions) {
    this.opts = opts;
    this.client = new QdrantClient({ url: opts.url, apiKey: opts.apiKey, checkCompatibility: false });
  }

  private remote(name: string): string {
    return `${this.opts.collectionPrefix}${name}`;
  }

  /** Runs a call on a collection and turns Qdrant's 404 into the service's NotFoundError. */
  private async on<T>(name: string, fn: (remote: string) => Promise<T>): Promise<T> {
    try {
      return await fn(this.remote(name));
    } catch (err) {
      if (statusOf(err) === 404) {
        this.dimensions.delete(name);
        throw collectionNotFound(name);
      }
      throw err;
    }
  }

  private async dimensionOf(name: string): Promise<number> {
    checkCollectionName(name);
    const cached = this.dimensions.get(name);
    if (cached !== undefined) return cached;
    const info = await this.on(name, (r) => this.client.getCollection(r));
    const vectors = info.config.params.vectors as { size?: number } | undefined;
    const size = vectors?.size;
    if (typeof size !== 'number') throw new Error(`Qdrant collection '${name}' has no single unnamed vector`);
    this.dimensions.set(name, size);
    return size;
  }

  async createCollection(name: string, spec: { dimension: number }): Promise<void> {
    checkCollectionName(name);
    checkDimension(spec.dimension);
    const existing = await this.describeCollection(name);
    if (!existing) {
      try {
        await this.client.createCollection(this.remote(name), {
          vectors: { size: spec.dimension, distance: 'Cosine' },
          hnsw_config: { m: this.opts.hnsw.m, ef_construct: this.opts.hnsw.efConstruct },
          quantization_config:
            this.opts.quantization.type === 'int8' ? { scalar: { type: 'int8', quantile: 0.99, always_ram: true } } : undefined,
        });
      } catch (err) {
        // Lost a creation race: fall through to the dimension check below.
        if (statusOf(err) !== 409 && statusOf(err) !== 400) throw err;
      }
      for (const field of ['subject_id', 'face_id']) {
        await this.client.createPayloadIndex(this.remote(name), { field_name: field, field_schema: 'keyword', wait: true });
      }
    }
    const dim = await this.dimensionOf(name);
    if (dim !== spec.dimension) {
      throw new ConflictError(`Collection '${name}' exists with dimension ${dim}, not ${spec.dimension}`, 'collection_conflict', { dimension: dim });
    }
  }

  async dropCollection(name: string): Promise<boolean> {
    checkCollectionName(name);
    this.dimensions.delete(name);
    const { exists } = await this.client.collectionExists(this.remote(name));
    if (!exists) return false;
    return this.client.deleteCollection(this.remote(name));
  }

  async describeCollection(name: string): Promise<CollectionInfo | null> {
    checkCollectionName(name);
    const { exists } = await this.client.collectionExists(this.remote(name));
    if (!exists) return null;
    const dimension = await this.dimensionOf(name);
    const { count } = await this.on(name, (r) => this.client.count(r, { exact: true }));
    return { name, dimension, count };
  }

  async upsert(collection: string, records: VectorRecord[]): Promise<void> {
    const dim = await this.dimensionOf(collection);
    const prepared = prepareRecords(records, dim);
    for (let i = 0; i < prepared.length; i += this.opts.upsertBatch) {
      const points = prepared.slice(i, i + this.opts.upsertBatch).map((r) => ({
        id: pointId(r.id),
        vector: Array.from(r.vector),
        payload: { ...r.payload, collection },
      }));
      // wait: true = acknowledged only after Qdrant applied it to its WAL, matching the port's durability promise.
      await this.on(collection, (c) => this.client.upsert(c, { wait: true, points }));
    }
  }

  async get(collection: string, ids: string[]): Promise<VectorRecord[]> {
    await this.dimensionOf(collection);
    if (ids.length === 0) return [];
    const points = await this.on(collection, (c) =>
      this.client.retrieve(c, { ids: ids.map(pointId), with_payload: true, with_vector: true }),
    );
    const byId = new Map<string, VectorRecord>();
    for (const p of points) {
      const payload = toFacePayload(p.payload);
      byId.set(payload.face_id, { id: payload.face_id, vector: Float32Array.from(p.vector as number[]), payload });
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async delete(collection: string, ids: string[]): Promise<number> {
    await this.dimensionOf(collection);
    if (ids.length === 0) return 0;
    const pids = [...new Set(ids.map(pointId))];
    // Qdrant's delete does not say how many points existed; count them first so callers get the port's contract.
    const existing = await this.on(collection, (c) => this.client.retrieve(c, { ids: pids, with_payload: false, with_vector: false }));
    if (existing.length === 0) return 0;
    await this.on(collection, (c) => this.client.delete(c, { wait: true, points: existing.map((p) => p.id) }));
    return existing.length;
  }

  async deleteBySubject(collection: string, subjectId: string): Promise<number> {
    await this.dimensionOf(collection);
    const filter = { must: [{ key: 'subject_id', match: { value: subjectId } }] };
    const { count } = await this.on(collection, (c) => this.client.count(c, { filter, exact: true }));
    if (count === 0) return 0;
    await this.on(collection, (c) => this.client.delete(c, { wait: true, filter }));
    return count;
  }

  async search(collection: string, vector: Float32Array, opts: SearchOptions): Promise<SearchHit[]> {
    const dim = await this.dimensionOf(collection);
    checkSearchOptions(opts);
    const query = Array.from(normalizedCopy(vector, dim));
    const filter = opts.subjectId !== undefined ? { must: [{ key: 'subject_id', match: { value: opts.subjectId } }] } : undefined;
    const params = {
      hnsw_ef: Math.max(this.opts.hnsw.efSearch, opts.topK),
      // A subject filter leaves a handful of points; exact scoring is both correct and cheaper than a graph walk.
      exact: opts.subjectId !== undefined,
      quantization: this.opts.quantization.type === 'int8' ? { rescore: this.opts.quantization.rescore, oversampling: 2 } : undefined,
    };
    const toHit = (p: { id: string | number; score: number; payload?: RawPayload }): SearchHit => {
      const payload = toFacePayload(p.payload);
      return { id: payload.face_id, score: p.score, payload };
    };
    if (opts.bestPerSubject) {
      const res = await this.on(collection, (c) =>
        this.client.queryGroups(c, { query, filter, params, group_by: 'subject_id', group_size: 1, limit: opts.topK, with_payload: true }),
      );
      return res.groups.flatMap((g) => g.hits.slice(0, 1).map(toHit));
    }
    const res = await this.on(collection, (c) => this.client.query(c, { query, filter, params, limit: opts.topK, with_payload: true }));
    return res.points.map(toHit);
  }

  async close(): Promise<void> {
    this.dimensions.clear();
  }
}
