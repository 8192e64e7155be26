import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { QdrantClient } from '@qdrant/js-client-rest';
import { ConflictError, NotFoundError } from '@facerec/errors';
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
import { widenForSubjects } from './best-per-subject.ts';
import { checkCollectionSettings, type QdrantCollectionInfo, type RequestCaps } from './collection-settings.ts';
import { QdrantCaller } from './qdrant-caller.ts';
import { isAlreadyExists, type QdrantFailure } from './qdrant-errors.ts';
import { describeAddress, qdrantAddress } from './qdrant-url.ts';
import { batchBySize } from './upsert-batches.ts';

export interface QdrantIndexOptions {
  url: string;
  apiKey?: string | undefined;
  /** Prepended to every collection name so several deployments or test runs can share one server. */
  collectionPrefix: string;
  hnsw: HnswSettings;
  quantization: QuantizationSettings;
  /** Most points per upsert request. */
  upsertBatch: number;
  /** Most bytes of JSON per upsert request; Qdrant refuses bodies over `max_request_size_mb` (32 by default). */
  maxRequestBytes: number;
  /** Budget of each call to Qdrant, retries included; past it the call fails with 503 `index_unavailable`. */
  timeoutMs: number;
  /** Extra attempts after a transient failure (connection refused/reset, 502/503/504). */
  retries?: number | undefined;
  /**
   * Collection-level `optimizers_config` for collections this adapter creates; unset fields take the server's
   * defaults. Qdrant builds no HNSW graph (nor quantized copy) for a segment under `indexing_threshold` KB of
   * vectors (10,000-20,000 KB by version, i.e. tens of thousands of 128-d faces), so tests and benchmarks on small
   * collections set it, and `default_segment_number`, to get a real graph.
   */
  optimizers?: { indexingThresholdKb?: number | undefined; defaultSegmentNumber?: number | undefined } | undefined;
  /** Hears settings drift found when a collection is opened (different HNSW, quantization, strict-mode caps). */
  onWarning?: ((message: string, details: Record<string, unknown>) => void) | undefined;
}

/** What opening a collection found and did, for diagnostics and tests. */
export interface QdrantOpenReport {
  collection: string;
  /** Payload indexes that were missing and were created by this open. */
  createdIndexes: string[];
  drift: string[];
}

interface OpenCollection {
  dimension: number;
  caps: RequestCaps;
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

/**
 * A float32 as JSON. `Array.from(Float32Array)` prints each value's exact double expansion (~20 characters);
 * nine significant digits always round-trip a float32, which Qdrant stores, and make bodies ~40% smaller.
 */
export function wireVector(v: Float32Array): number[] {
  return Array.from(v, (x) => Number(x.toPrecision(9)));
}

type RawPayload = Record<string, unknown> | null | undefined;

/** Drops the bookkeeping field so both adapters hand back the same payload shape. */
function toFacePayload(raw: RawPayload): FacePayload {
  const { collection: _c, ...rest } = (raw ?? {}) as Record<string, unknown>;
  return rest as FacePayload;
}

function toHit(p: { id: string | number; score: number; payload?: RawPayload }): SearchHit {
  const payload = toFacePayload(p.payload);
  return { id: payload.face_id, score: p.score, payload };
}

const notFound = (f: QdrantFailure) => f.kind === 'http' && f.status === 404;

export class QdrantVectorIndex implements VectorIndex {
  readonly kind = 'qdrant' as const;
  /** What each open found (missing indexes created, settings drift), oldest first; the last 1,000. */
  readonly openReport: QdrantOpenReport[] = [];
  private readonly client: QdrantClient;
  private readonly caller: QdrantCaller;
  /**
   * Collections checked and indexed by this process. A promise, so concurrent first uses share one open.
   * Settings are immutable per collection, so this saves a round trip on every write and search.
   */
  private readonly opened = new Map<string, Promise<OpenCollection>>();
  private readonly opts: QdrantIndexOptions;

  constructor(opts: QdrantIndexOptions) {
    this.opts = opts;
    const address = qdrantAddress(opts.url);
    this.client = new QdrantClient({
      host: address.host,
      port: address.port,
      https: address.https,
      prefix: address.prefix,
      apiKey: opts.apiKey,
      // A backstop that aborts the socket; the caller's deadline (timeoutMs, retries included) answers first.
      timeout: opts.timeoutMs + 250,
      checkCompatibility: false,
    });
    this.caller = new QdrantCaller({ timeoutMs: opts.timeoutMs, retries: opts.retries ?? 2, where: describeAddress(address) });
  }

  private remote(name: string): string {
    return `${this.opts.collectionPrefix}${name}`;
  }

  /** A call on one collection: Qdrant's 404 becomes the service's NotFoundError and forgets the open. */
  private on<T>(name: string, op: string, fn: (remote: string) => Promise<T>): Promise<T> {
    return this.caller.call(op, () => fn(this.remote(name)), {
      notFound: () => {
        this.opened.delete(name);
        return collectionNotFound(name);
      },
    });
  }

  private open(name: string): Promise<OpenCollection> {
    checkCollectionName(name);
    let pending = this.opened.get(name);
    if (!pending) {
      pending = this.openNow(name);
      this.opened.set(name, pending);
      const settled = pending;
      // A failed open is retried by the next call rather than remembered.
      settled.catch(() => {
        if (this.opened.get(name) === settled) this.opened.delete(name);
      });
    }
    return pending;
  }

  /**
   * Verifies the collection (distance, vector layout; settings drift is reported) and ensures its payload
   * indexes on every open, not only at creation: a crash between creating a collection and indexing it must
   * not leave it unindexed for good (strict mode would then refuse every grouped or filtered search).
   */
  private async openNow(name: string): Promise<OpenCollection> {
    const info = (await this.on(name, `reading collection '${name}'`, (r) => this.client.getCollection(r))) as QdrantCollectionInfo;
    const check = checkCollectionSettings(name, info, this.opts);
    const createdIndexes: string[] = [];
    for (const field of check.missingIndexes) {
      const r = await this.caller.attempt(
        `creating the ${field} index of '${name}'`,
        () => this.client.createPayloadIndex(this.remote(name), { field_name: field, field_schema: 'keyword', wait: true }),
        { notFound: () => collectionNotFound(name), accept: isAlreadyExists },
      );
      if (r.ok) createdIndexes.push(field);
    }
    this.openReport.push({ collection: name, createdIndexes, drift: check.drift });
    // A long-lived gateway opens every collection it serves: keep the recent history only.
    if (this.openReport.length > 1000) this.openReport.shift();
    if (check.drift.length > 0) {
      this.opts.onWarning?.(`Qdrant collection '${name}' differs from this deployment's settings`, { collection: name, drift: check.drift });
    }
    return { dimension: check.dimension, caps: check.caps };
  }

  private async exists(name: string): Promise<boolean> {
    checkCollectionName(name);
    const { exists } = await this.caller.call(`checking collection '${name}'`, () => this.client.collectionExists(this.remote(name)));
    return exists;
  }

  async createCollection(name: string, spec: { dimension: number }): Promise<void> {
    checkCollectionName(name);
    checkDimension(spec.dimension);
    if (!(await this.exists(name))) {
      const { hnsw, quantization, optimizers } = this.opts;
      const optimizersConfig = {
        ...(optimizers?.indexingThresholdKb !== undefined ? { indexing_threshold: optimizers.indexingThresholdKb } : {}),
        ...(optimizers?.defaultSegmentNumber !== undefined ? { default_segment_number: optimizers.defaultSegmentNumber } : {}),
      };
      // A lost creation race ("already exists") is fine: the checks below verify what the winner made.
      await this.caller.attempt(
        `creating collection '${name}'`,
        () =>
          this.client.createCollection(this.remote(name), {
            vectors: { size: spec.dimension, distance: 'Cosine' },
            hnsw_config: { m: hnsw.m, ef_construct: hnsw.efConstruct },
            quantization_config: quantization.type === 'int8' ? { scalar: { type: 'int8', quantile: 0.99, always_ram: true } } : undefined,
            optimizers_config: Object.keys(optimizersConfig).length > 0 ? optimizersConfig : undefined,
          }),
        { accept: isAlreadyExists },
      );
    }
    // Always re-open: verify the collection as it is now and ensure its indexes.
    this.opened.delete(name);
    const { dimension } = await this.open(name);
    if (dimension !== spec.dimension) {
      throw new ConflictError(`Collection '${name}' exists with dimension ${dimension}, not ${spec.dimension}`, 'collection_conflict', { dimension });
    }
  }

  async dropCollection(name: string): Promise<boolean> {
    this.opened.delete(name);
    if (!(await this.exists(name))) return false;
    const r = await this.caller.attempt(`dropping collection '${name}'`, () => this.client.deleteCollection(this.remote(name)), { accept: notFound });
    this.opened.delete(name);
    return r.ok ? r.value : false;
  }

  async describeCollection(name: string): Promise<CollectionInfo | null> {
    if (!(await this.exists(name))) return null;
    try {
      const { dimension, caps } = await this.open(name);
      const { count } = await this.on(name, `counting '${name}'`, (r) => this.client.count(r, { exact: caps.allowExact }));
      return { name, dimension, count };
    } catch (err) {
      // Dropped between the two calls.
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  /** Durable as far as Qdrant makes `wait: true` durable; see "Storage and durability" in the README. */
  async upsert(collection: string, records: VectorRecord[]): Promise<void> {
    const { dimension, caps } = await this.open(collection);
    const prepared = prepareRecords(records, dimension);
    const points = prepared.map((r) => ({ id: pointId(r.id), vector: wireVector(r.vector), payload: { ...r.payload, collection } }));
    const sizes = points.map((p) => Buffer.byteLength(JSON.stringify(p), 'utf8'));
    for (const batch of batchBySize(sizes, this.opts.maxRequestBytes, Math.min(this.opts.upsertBatch, caps.maxUpsertBatch))) {
      const body = batch.map((i) => points[i]!);
      // wait: true = answered once Qdrant applied the change, so a search right after sees it.
      await this.on(collection, `upserting ${body.length} points into '${collection}'`, (c) => this.client.upsert(c, { wait: true, points: body }));
    }
  }

  async get(collection: string, ids: string[]): Promise<VectorRecord[]> {
    await this.open(collection);
    if (ids.length === 0) return [];
    const points = await this.on(collection, `reading points of '${collection}'`, (c) =>
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
    await this.open(collection);
    if (ids.length === 0) return 0;
    const pids = [...new Set(ids.map(pointId))];
    // Qdrant's delete does not say how many points existed; count them first so callers get the port's contract.
    const existing = await this.on(collection, `reading points of '${collection}'`, (c) =>
      this.client.retrieve(c, { ids: pids, with_payload: false, with_vector: false }),
    );
    if (existing.length === 0) return 0;
    await this.on(collection, `deleting points of '${collection}'`, (c) => this.client.delete(c, { wait: true, points: existing.map((p) => p.id) }));
    return existing.length;
  }

  async deleteBySubject(collection: string, subjectId: string): Promise<number> {
    const { caps } = await this.open(collection);
    const filter = { must: [{ key: 'subject_id', match: { value: subjectId } }] };
    const { count } = await this.on(collection, `counting a subject of '${collection}'`, (c) => this.client.count(c, { filter, exact: caps.allowExact }));
    if (count === 0) return 0;
    await this.on(collection, `deleting a subject of '${collection}'`, (c) => this.client.delete(c, { wait: true, filter }));
    return count;
  }

  async search(collection: string, vector: Float32Array, opts: SearchOptions): Promise<SearchHit[]> {
    const { dimension, caps } = await this.open(collection);
    checkSearchOptions(opts);
    const query = wireVector(normalizedCopy(vector, dimension));
    const subjectFilter = opts.subjectId !== undefined ? { must: [{ key: 'subject_id', match: { value: opts.subjectId } }] } : undefined;
    const params = (limit: number, exhaustive: boolean) => ({
      hnsw_ef: Math.min(caps.maxHnswEf, Math.max(this.opts.hnsw.efSearch, limit)),
      // A subject filter leaves a handful of points; exact scoring is both correct and cheaper than a graph walk.
      exact: caps.allowExact && (exhaustive || opts.subjectId !== undefined),
      quantization:
        this.opts.quantization.type === 'int8'
          ? { rescore: this.opts.quantization.rescore, oversampling: Math.min(caps.maxOversampling, 3) }
          : undefined,
    });
    const page = async (offset: number, limit: number, exhaustive: boolean, filter = subjectFilter): Promise<SearchHit[]> => {
      const res = await this.on(collection, `searching '${collection}'`, (c) =>
        this.client.query(c, { query, filter, params: params(offset + limit, exhaustive), limit, offset: offset || undefined, with_payload: true }),
      );
      return res.points.map(toHit);
    };

    if (!opts.bestPerSubject) return page(0, Math.min(opts.topK, caps.maxLimit), false);
    // One subject's best face.
    if (subjectFilter) return page(0, 1, false);

    const limit = Math.min(opts.topK, caps.maxLimit);
    const grouped = await this.on(collection, `searching '${collection}' by subject`, (c) =>
      this.client.queryGroups(c, { query, params: params(limit, false), group_by: 'subject_id', group_size: 1, limit, with_payload: true }),
    );
    const hits = grouped.groups.flatMap((g) => g.hits.slice(0, 1).map(toHit));
    if (hits.length >= opts.topK) return hits.slice(0, opts.topK);
    // Qdrant's grouping stops after a few rounds, so fewer groups than asked can mean "gave up", not "no more
    // subjects": rank plain hits until top_k subjects or the whole collection (the embedded adapter's answer).
    const { count } = await this.on(collection, `counting '${collection}'`, (c) => this.client.count(c, { exact: caps.allowExact }));
    if (count === 0) return [];
    return widenForSubjects(opts.topK, opts.topK * 8, { total: count, maxLimit: caps.maxLimit, fetch: (offset, n, exhaustive) => page(offset, n, exhaustive, undefined) });
  }

  /**
   * Resolves once Qdrant has finished optimizing the collection (status green) and at least `minIndexedVectors`
   * vectors sit in HNSW-indexed segments, so benchmarks and recall tests measure the graph rather than
   * segments still waiting to be indexed. Qdrant offers no event for this, hence the polling.
   */
  async waitForIndexing(
    name: string,
    opts: { timeoutMs: number; minIndexedVectors?: number; pollMs?: number },
  ): Promise<{ points: number; indexedVectors: number; status: string }> {
    const deadline = performance.now() + opts.timeoutMs;
    for (;;) {
      const info = (await this.on(name, `reading collection '${name}'`, (r) => this.client.getCollection(r))) as QdrantCollectionInfo;
      const state = { points: info.points_count ?? 0, indexedVectors: info.indexed_vectors_count ?? 0, status: info.status ?? 'unknown' };
      if (state.status === 'green' && state.indexedVectors >= (opts.minIndexedVectors ?? 0)) return state;
      if (performance.now() > deadline) {
        throw new Error(
          `Qdrant collection '${name}' not indexed after ${opts.timeoutMs} ms: status ${state.status}, ${state.indexedVectors} of ${state.points} vectors in HNSW segments (wanted ${opts.minIndexedVectors ?? 0})`,
        );
      }
      await sleep(opts.pollMs ?? 250);
    }
  }

  async close(): Promise<void> {
    this.opened.clear();
  }
}
