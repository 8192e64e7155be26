/**
 * The Qdrant adapter against a real server: runs only when QDRANT_URL is set (and QDRANT_API_KEY when the
 * server needs one), e.g.
 *
 *   docker run -p 6333:6333 qdrant/qdrant
 *   QDRANT_URL=http://127.0.0.1:6333 npx vitest run packages/vector-index
 *
 * Every collection it makes is named `facerec_test_<run>_…` and dropped again, so a shared server is fine.
 * What it adds to the loopback tests (qdrant-index.test.ts): real scores and grouping (the contract suite),
 * real HNSW graphs and int8 quantization (indexing forced through the collection-level
 * `optimizers_config.indexing_threshold`, since Qdrant leaves small segments unindexed), index repair, settings
 * checks and byte-sized upserts as the server itself judges them.
 */
import { randomUUID } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import { ConflictError } from '@facerec/errors';
import { afterAll, describe, expect, it } from 'vitest';
import { bruteForce, faceRecords, vectorIndexContract } from '../contract/vector-index-contract.ts';
import { DEFAULT_HNSW } from '../create-vector-index.ts';
import { faceLikeGenerator } from '../synthetic/face-like-embeddings.ts';
import type { QuantizationSettings } from '../vector-index.ts';
import { QdrantVectorIndex, type QdrantIndexOptions } from './qdrant-index.ts';
import { qdrantAddress } from './qdrant-url.ts';

const url = process.env.QDRANT_URL;
const apiKey = process.env.QDRANT_API_KEY || undefined;
const prefix = `facerec_test_${randomUUID().slice(0, 8)}_`;

function adapter(extra: Partial<QdrantIndexOptions> = {}): QdrantVectorIndex {
  return new QdrantVectorIndex({
    url: url!,
    apiKey,
    collectionPrefix: prefix,
    hnsw: DEFAULT_HNSW,
    quantization: { type: 'none', rescore: true },
    upsertBatch: 512,
    maxRequestBytes: 4 << 20,
    // A shared or remote test server may be busy optimizing; production's 2 s budget is tested on loopback.
    timeoutMs: 30_000,
    ...extra,
  });
}

/** The same client the adapter uses, for setting up what another tool (or a crash) would leave behind. */
function rawClient(): QdrantClient {
  const a = qdrantAddress(url!);
  return new QdrantClient({ host: a.host, port: a.port, https: a.https, prefix: a.prefix, apiKey, checkCompatibility: false });
}

const title = url
  ? `Qdrant adapter against the server at ${url}`
  : 'Qdrant adapter against a real server: skipped, set QDRANT_URL (e.g. http://127.0.0.1:6333) and QDRANT_API_KEY if needed';

describe.skipIf(!url)(title, () => {
  const leftovers = new Set<string>();
  const name = () => {
    const n = `q_${randomUUID().slice(0, 8)}`;
    leftovers.add(n);
    return n;
  };
  afterAll(async () => {
    const index = adapter();
    for (const n of leftovers) await index.dropCollection(n);
    await index.close();
  });

  vectorIndexContract('qdrant (server defaults: small collections stay unindexed, searched exactly)', async () => adapter(), { recallFaces: 5000, exactUnitVectors: false });

  /**
   * recall@10 against brute force over 100 fresh photos of enrolled subjects, after Qdrant built its graph.
   * 5,000 faces are 2.5 MB of vectors, far under Qdrant's default indexing threshold, so indexing is forced,
   * as Qdrant's bulk-upload recipe does: the collection is made with one segment and indexing off (a huge
   * threshold), filled, and then given a 1,000 KB threshold (the smallest every 1.x version accepts), which the
   * 2.5 MB segment exceeds. Lowering it only after the ingest keeps a half-filled segment from being indexed
   * early and leaving the rest in a new, unindexed one; one segment makes where the points land irrelevant.
   */
  async function indexedRecall(quantization: QuantizationSettings): Promise<{ recall: number; indexed: number; n: number; drift: string[] }> {
    const index = adapter({ quantization, optimizers: { indexingThresholdKb: 1_000_000, defaultSegmentNumber: 1 } });
    const c = name();
    try {
      await index.createCollection(c, { dimension: 128 });
      const n = 5000;
      const records = faceRecords(n, { seed: 23 });
      for (let i = 0; i < n; i += 1000) await index.upsert(c, records.slice(i, i + 1000));
      await rawClient().updateCollection(`${prefix}${c}`, { optimizers_config: { indexing_threshold: 1000 } });
      // The optimizer builds HNSW (and the int8 copy) in the background; wait until it has.
      const state = await index.waitForIndexing(c, { timeoutMs: 120_000, minIndexedVectors: Math.floor(n * 0.9) });
      const g = faceLikeGenerator({ seed: 23, photoSeed: 777 });
      let found = 0;
      for (let p = 0; p < 100; p++) {
        const probe = g.sample((p * 37) % (n / 5));
        const truth = new Set(bruteForce(records, probe, 10).map((t) => t.id));
        const hits = await index.search(c, probe, { topK: 10 });
        found += hits.filter((h) => truth.has(h.id)).length;
      }
      // A fresh adapter re-reads the collection: its settings must be exactly the configured ones.
      const reopened = adapter({ quantization });
      await reopened.describeCollection(c);
      return { recall: found / 1000, indexed: state.indexedVectors, n, drift: reopened.openReport.flatMap((r) => r.drift) };
    } finally {
      await index.dropCollection(c);
    }
  }

  it(`recall@10 >= 0.99 through a real HNSW graph (M=${DEFAULT_HNSW.m}, ef_construct=${DEFAULT_HNSW.efConstruct}, hnsw_ef=${DEFAULT_HNSW.efSearch}; indexing forced)`, async () => {
    const r = await indexedRecall({ type: 'none', rescore: true });
    expect(r.drift, 'collection settings as created').toEqual([]);
    expect(r.indexed, `vectors in HNSW segments out of ${r.n}`).toBeGreaterThanOrEqual(r.n * 0.9);
    expect(r.recall, `recall@10 with HNSW: ${r.recall}`).toBeGreaterThanOrEqual(0.99);
  }, 300_000);

  it('recall@10 >= 0.97 with int8 scalar quantization, rescored (oversampling 3; indexing forced)', async () => {
    const r = await indexedRecall({ type: 'int8', rescore: true });
    expect(r.drift, 'collection settings as created').toEqual([]);
    expect(r.indexed, `vectors in HNSW segments out of ${r.n}`).toBeGreaterThanOrEqual(r.n * 0.9);
    expect(r.recall, `recall@10 with int8 + rescore: ${r.recall}`).toBeGreaterThanOrEqual(0.97);
  }, 300_000);

  it('re-creates payload indexes that are missing when a collection is opened (a crash after create)', async () => {
    const c = name();
    await adapter().createCollection(c, { dimension: 128 });
    const raw = rawClient();
    await raw.deletePayloadIndex(`${prefix}${c}`, 'subject_id', { wait: true });
    expect((await raw.getCollection(`${prefix}${c}`)).payload_schema.subject_id).toBeUndefined();
    const index = adapter();
    expect(await index.describeCollection(c)).toEqual({ name: c, dimension: 128, count: 0 });
    expect(index.openReport).toEqual([{ collection: c, createdIndexes: ['subject_id'], drift: [] }]);
    expect((await raw.getCollection(`${prefix}${c}`)).payload_schema.subject_id?.data_type).toBe('keyword');
  });

  it('refuses a collection made elsewhere with Dot distance', async () => {
    const c = name();
    await rawClient().createCollection(`${prefix}${c}`, { vectors: { size: 128, distance: 'Dot' } });
    await expect(adapter().createCollection(c, { dimension: 128 })).rejects.toBeInstanceOf(ConflictError);
    await expect(adapter().upsert(c, faceRecords(1))).rejects.toMatchObject({ code: 'index_settings_mismatch' });
  });

  it('two processes creating one collection at once both succeed (the loser sees "already exists")', async () => {
    const c = name();
    await Promise.all([adapter().createCollection(c, { dimension: 128 }), adapter().createCollection(c, { dimension: 128 })]);
    expect(await adapter().describeCollection(c)).toEqual({ name: c, dimension: 128, count: 0 });
  });

  it('upserts 4096-d points in one call although they are far more than one 32 MB request', async () => {
    const c = name();
    const index = adapter({ upsertBatch: 10_000 });
    await index.createCollection(c, { dimension: 4096 });
    const g = faceLikeGenerator({ seed: 5, dimension: 4096 });
    const records = Array.from({ length: 800 }, (_, i) => {
      const id = randomUUID();
      return { id, vector: g.sample(i), payload: { subject_id: `s${i}`, face_id: id } };
    });
    await index.upsert(c, records);
    expect(await index.describeCollection(c)).toEqual({ name: c, dimension: 4096, count: 800 });
    const [hit] = await index.search(c, records[321]!.vector, { topK: 1 });
    expect(hit!.id).toBe(records[321]!.id);
  }, 120_000);

  it('pages bestPerSubject past strict mode\'s max_query_limit, with hnsw_ef capped', async () => {
    const c = name();
    await adapter().createCollection(c, { dimension: 128 });
    // A cap below the configured ef_search, whatever the default is, so that the drift is reported.
    await rawClient().updateCollection(`${prefix}${c}`, { strict_mode_config: { enabled: true, max_query_limit: 20, search_max_hnsw_ef: 64 } });
    const index = adapter();
    const records = faceRecords(40 * 25, { seed: 41, perSubject: 25, genuineCosine: [0.97, 0.99] });
    await index.upsert(c, records);
    const probe = faceLikeGenerator({ seed: 41, photoSeed: 3, genuineCosine: [0.97, 0.99] }).sample(5);
    const best = new Map<string, string>();
    for (const t of bruteForce(records, probe, records.length)) if (!best.has(t.subject)) best.set(t.subject, t.id);
    const hits = await index.search(c, probe, { topK: 30, bestPerSubject: true });
    expect(hits.map((h) => h.payload.subject_id)).toEqual([...best.keys()].slice(0, 30));
    expect(index.openReport[0]!.drift).toEqual([`strict mode caps hnsw_ef at 64, configured ef_search ${DEFAULT_HNSW.efSearch}`]);
  });
});
