/**
 * The Qdrant adapter against a loopback HTTP listener that records what the real client sends and answers
 * with Qdrant-shaped JSON (testing/qdrant-stand-in.ts): request shapes, index and settings checks on open,
 * byte-sized upserts, grouping fallback, error mapping, timeouts and retries. Behaviour only a real Qdrant can
 * show (scores, recall, HNSW) is in qdrant-server.test.ts, which runs when QDRANT_URL is set.
 */
import { createServer } from 'node:net';
import { ConflictError, NotFoundError, ServiceUnavailableError, TooManyRequestsError, UpstreamError } from '@facerec/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { faceRecords } from '../contract/vector-index-contract.ts';
import { createVectorIndex, DEFAULT_HNSW } from '../create-vector-index.ts';
import { pointId, QdrantVectorIndex, wireVector, type QdrantIndexOptions } from './qdrant-index.ts';
import { collectionInfo, ok, qdrantError, startQdrantStandIn, type InfoOptions, type QdrantStandIn } from './testing/qdrant-stand-in.ts';

const stands: QdrantStandIn[] = [];
const indexes: QdrantVectorIndex[] = [];
afterEach(async () => {
  for (const i of indexes.splice(0)) await i.close();
  for (const s of stands.splice(0)) await s.close();
});

async function standIn(): Promise<QdrantStandIn> {
  const s = await startQdrantStandIn();
  stands.push(s);
  return s;
}

function adapter(url: string, extra: Partial<QdrantIndexOptions> = {}): QdrantVectorIndex {
  const index = new QdrantVectorIndex({
    url,
    collectionPrefix: 'facerec_',
    hnsw: DEFAULT_HNSW,
    quantization: { type: 'none', rescore: true },
    upsertBatch: 512,
    maxRequestBytes: 4 << 20,
    timeoutMs: 2000,
    ...extra,
  });
  indexes.push(index);
  return index;
}

/** An existing collection `facerec_c` as Qdrant would describe it, plus the point routes a test needs. */
function serveCollection(s: QdrantStandIn, info: InfoOptions = {}): void {
  s.on('GET /collections/:name/exists', (_r, p) => ok({ exists: p.name === 'facerec_c' }));
  s.on('GET /collections/:name', (_r, p) => (p.name === 'facerec_c' ? collectionInfo(info) : qdrantError(404, `Not found: Collection \`${p.name}\` doesn't exist!`)));
  s.on('PUT /collections/:name/index', () => ok({ operation_id: 1, status: 'completed' }));
  s.on('PUT /collections/:name/points', () => ok({ operation_id: 2, status: 'completed' }));
  s.on('POST /collections/:name/points/count', () => ok({ count: 0 }));
}

const unusedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

describe('payload indexes are ensured on every open (row 3)', () => {
  it('creates the missing indexes of an existing collection when it is first used, and only those', async () => {
    const s = await standIn();
    serveCollection(s, { indexed: ['face_id'] });
    const index = adapter(s.url);
    await index.upsert('c', faceRecords(1));
    const created = s.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/index'));
    expect(created.map((r) => r.body)).toEqual([{ field_name: 'subject_id', field_schema: 'keyword' }]);
    expect(created[0]!.query.get('wait')).toBe('true');
    expect(index.openReport).toEqual([{ collection: 'c', createdIndexes: ['subject_id'], drift: [] }]);
  });

  it('checks again in every new process (a crash between create and index is repaired by the next start)', async () => {
    const s = await standIn();
    serveCollection(s, { indexed: [] });
    await adapter(s.url).describeCollection('c');
    await adapter(s.url).describeCollection('c');
    expect(s.calls().filter((c) => c.endsWith('/index'))).toHaveLength(4);
  });

  it('opens once per process: later calls reuse what the open found', async () => {
    const s = await standIn();
    serveCollection(s);
    s.on('POST /collections/:name/points/query', () => ok({ points: [] }));
    const index = adapter(s.url);
    const v = faceRecords(1)[0]!.vector;
    await Promise.all([index.search('c', v, { topK: 3 }), index.search('c', v, { topK: 3 }), index.upsert('c', faceRecords(2))]);
    expect(s.calls().filter((c) => c === 'GET /collections/facerec_c')).toHaveLength(1);
    expect(s.calls().some((c) => c.endsWith('/index'))).toBe(false);
  });

  it.each([
    [409, 'Already exists: Collection `facerec_c` already exists!'],
    [400, 'Wrong input: Collection `facerec_c` already exists!'],
  ])('a create answered %i "already exists" is a lost race: the collection is verified and used', async (status, reason) => {
    const s = await standIn();
    serveCollection(s, { indexed: [] });
    s.on('GET /collections/:name/exists', () => ok({ exists: false }));
    s.on('PUT /collections/:name', () => qdrantError(status, reason));
    await adapter(s.url).createCollection('c', { dimension: 128 });
    expect(s.calls()).toEqual([
      'GET /collections/facerec_c/exists',
      'PUT /collections/facerec_c',
      'GET /collections/facerec_c',
      'PUT /collections/facerec_c/index',
      'PUT /collections/facerec_c/index',
    ]);
    expect(s.requests[1]!.body).toEqual({ vectors: { size: 128, distance: 'Cosine' }, hnsw_config: { m: DEFAULT_HNSW.m, ef_construct: DEFAULT_HNSW.efConstruct } });
  });

  it('any other refusal of a create is an error carrying Qdrant\'s reason, and nothing else is tried', async () => {
    const s = await standIn();
    serveCollection(s);
    s.on('GET /collections/:name/exists', () => ok({ exists: false }));
    const reason = 'Validation error in JSON body: [hnsw_config.m: value 2 invalid, must be 4 or larger]';
    s.on('PUT /collections/:name', () => qdrantError(422, reason));
    const err = await adapter(s.url).createCollection('c', { dimension: 128 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ status: 500, code: 'index_error', details: { service: 'qdrant', status: 422, reason } });
    expect((err as Error).message).toContain(reason);
    expect(s.calls()).toEqual(['GET /collections/facerec_c/exists', 'PUT /collections/facerec_c']);
  });

  it('sends quantization and a forced indexing threshold when configured', async () => {
    const s = await standIn();
    serveCollection(s, { quantization: { scalar: { type: 'int8', quantile: 0.99, always_ram: true } } });
    s.on('GET /collections/:name/exists', (_r, _p, n) => ok({ exists: n > 0 }));
    s.on('PUT /collections/:name', () => ok(true));
    await adapter(s.url, { quantization: { type: 'int8', rescore: true }, optimizers: { indexingThresholdKb: 1000, defaultSegmentNumber: 2 } }).createCollection('c', {
      dimension: 128,
    });
    expect(s.requests.find((r) => r.method === 'PUT' && r.path === '/collections/facerec_c')!.body).toEqual({
      vectors: { size: 128, distance: 'Cosine' },
      hnsw_config: { m: DEFAULT_HNSW.m, ef_construct: DEFAULT_HNSW.efConstruct },
      quantization_config: { scalar: { type: 'int8', quantile: 0.99, always_ram: true } },
      optimizers_config: { indexing_threshold: 1000, default_segment_number: 2 },
    });
  });
});

describe('settings are verified on open (row 4)', () => {
  it.each(['Dot', 'Euclid', 'Manhattan'])('refuses a collection with %s distance, whoever made it', async (distance) => {
    const s = await standIn();
    serveCollection(s, { distance });
    const index = adapter(s.url);
    const err = await index.createCollection('c', { dimension: 128 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ code: 'index_settings_mismatch', details: { distance, expected: 'Cosine' } });
    expect((err as Error).message).toMatch(new RegExp(`${distance} distance.*needs Cosine`));
    await expect(index.search('c', faceRecords(1)[0]!.vector, { topK: 1 })).rejects.toBeInstanceOf(ConflictError);
    expect(s.calls().some((c) => c.includes('/points'))).toBe(false);
  });

  it('refuses named vectors', async () => {
    const s = await standIn();
    serveCollection(s, { vectors: { face: { size: 128, distance: 'Cosine' } } });
    await expect(adapter(s.url).upsert('c', faceRecords(1))).rejects.toMatchObject({ code: 'index_settings_mismatch' });
  });

  it('reports, but accepts, other HNSW or quantization settings', async () => {
    const s = await standIn();
    serveCollection(s, { m: 16, efConstruct: 100, quantization: { scalar: { type: 'int8' } } });
    const warnings: unknown[] = [];
    const index = adapter(s.url, { onWarning: (message, details) => warnings.push({ message, details }) });
    await index.upsert('c', faceRecords(1));
    const drift = [`hnsw m is 16, configured ${DEFAULT_HNSW.m}`, `hnsw ef_construct is 100, configured ${DEFAULT_HNSW.efConstruct}`, 'quantization is scalar int8, configured none'];
    expect(index.openReport[0]!.drift).toEqual(drift);
    expect(warnings).toEqual([{ message: "Qdrant collection 'c' differs from this deployment's settings", details: { collection: 'c', drift } }]);
  });

  it('keeps searches within strict-mode caps', async () => {
    const s = await standIn();
    serveCollection(s, { strict: { enabled: true, search_max_hnsw_ef: 128, search_allow_exact: false, max_query_limit: 1000 } });
    s.on('POST /collections/:name/points/query', () => ok({ points: [] }));
    const index = adapter(s.url);
    await index.search('c', faceRecords(1)[0]!.vector, { topK: 5, subjectId: 'alice' });
    const query = s.requests.find((r) => r.path.endsWith('/points/query'))!;
    expect(query.body.params).toEqual({ hnsw_ef: 128, exact: false });
    expect(index.openReport[0]!.drift).toEqual([
      `strict mode caps hnsw_ef at 128, configured ef_search ${DEFAULT_HNSW.efSearch}`,
      'strict mode forbids exact search: filtered searches use the graph and counts are approximate',
    ]);
    await index.describeCollection('c');
    expect(s.requests.at(-1)!.body).toEqual({ exact: false });
  });
});

describe('upserts are batched by bytes, not only by count (row 5)', () => {
  it('splits 4096-d points into requests under the byte limit, each point once, in order', async () => {
    const s = await standIn();
    serveCollection(s, { size: 4096 });
    const limit = 300 * 1024;
    const records = Array.from({ length: 40 }, (_, i) => {
      const vector = new Float32Array(4096).map((_, j) => Math.sin(i * 7 + j));
      return { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, vector, payload: { subject_id: `s${i}`, face_id: '' } };
    });
    await adapter(s.url, { maxRequestBytes: limit, upsertBatch: 10_000 }).upsert('c', records);
    const puts = s.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/points'));
    expect(puts.length).toBeGreaterThan(1);
    for (const p of puts) {
      expect(p.bytes).toBeLessThanOrEqual(limit);
      expect(p.query.get('wait')).toBe('true');
    }
    expect(puts.flatMap((p) => p.body.points.map((pt: { id: string }) => pt.id))).toEqual(records.map((r) => r.id));
    // Payload as the port defines it (face_id = the record id) plus the collection name.
    expect(puts[0]!.body.points[0].payload).toEqual({ subject_id: 's0', face_id: records[0]!.id, collection: 'c' });
  });

  it('still caps the points per request', async () => {
    const s = await standIn();
    serveCollection(s);
    await adapter(s.url, { upsertBatch: 7 }).upsert('c', faceRecords(20));
    const puts = s.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/points'));
    expect(puts.map((p) => p.body.points.length)).toEqual([7, 7, 6]);
  });

  it('sends float32 values with the digits that round-trip them, not their double expansions', () => {
    const v = Float32Array.from([0.1, -1 / 3, 1e-8, 0.7071067811865476]);
    const wired = wireVector(v);
    expect(Float32Array.from(wired)).toEqual(v);
    for (const x of wired) expect(String(x).replace(/^-?0\./, '').replace(/e.*$/, '').length).toBeLessThanOrEqual(10);
  });

  it('maps non-uuid face ids to stable uuids', () => {
    expect(pointId('3F2504E0-4F89-11D3-9A0C-0305E82C3301')).toBe('3f2504e0-4f89-11d3-9a0c-0305e82c3301');
    expect(pointId('face-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(pointId('face-1')).toBe(pointId('face-1'));
    expect(pointId('face-1')).not.toBe(pointId('face-2'));
  });
});

describe('bestPerSubject widens when Qdrant returns fewer groups than top_k (row 2)', () => {
  /** Ranked points of subjects a,a,a,a,b,b,b,b,c,...: 4 faces each. */
  const ranked = Array.from({ length: 40 }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    version: 1,
    score: 0.9 - i * 0.01,
    payload: { subject_id: `s${Math.floor(i / 4)}`, face_id: `f${i}`, collection: 'c' },
  }));

  it('falls back to ranked plain hits, then stops once it holds top_k subjects', async () => {
    const s = await standIn();
    serveCollection(s);
    s.on('POST /collections/:name/points/query/groups', () => ok({ groups: ranked.slice(0, 8).filter((_, i) => i % 4 === 0).map((p) => ({ id: p.payload.subject_id, hits: [p] })) }));
    s.on('POST /collections/:name/points/count', () => ok({ count: ranked.length }));
    s.on('POST /collections/:name/points/query', (r) => ok({ points: ranked.slice(r.body.offset ?? 0, (r.body.offset ?? 0) + r.body.limit) }));
    const hits = await adapter(s.url).search('c', faceRecords(1)[0]!.vector, { topK: 5, bestPerSubject: true });
    expect(hits.map((h) => [h.payload.subject_id, h.id])).toEqual([0, 1, 2, 3, 4].map((k) => [`s${k}`, `f${k * 4}`]));
    expect(hits[0]!.payload).toEqual({ subject_id: 's0', face_id: 'f0' });
    expect(s.calls().slice(-3)).toEqual([
      'POST /collections/facerec_c/points/query/groups',
      'POST /collections/facerec_c/points/count',
      'POST /collections/facerec_c/points/query',
    ]);
    const groups = s.requests.find((r) => r.path.endsWith('/groups'))!.body;
    expect(groups).toMatchObject({ group_by: 'subject_id', group_size: 1, limit: 5, with_payload: true });
    // 5 × 8 = 40 = the whole collection: one exhaustive window.
    expect(s.requests.at(-1)!.body).toMatchObject({ limit: 40, params: { exact: true } });
  });

  it('pages with offset past strict mode\'s max_query_limit', async () => {
    const s = await standIn();
    serveCollection(s, { strict: { enabled: true, max_query_limit: 6 } });
    s.on('POST /collections/:name/points/query/groups', () => ok({ groups: [] }));
    s.on('POST /collections/:name/points/count', () => ok({ count: ranked.length }));
    s.on('POST /collections/:name/points/query', (r) => ok({ points: ranked.slice(r.body.offset ?? 0, (r.body.offset ?? 0) + r.body.limit) }));
    const hits = await adapter(s.url).search('c', faceRecords(1)[0]!.vector, { topK: 4, bestPerSubject: true });
    expect(hits.map((h) => h.payload.subject_id)).toEqual(['s0', 's1', 's2', 's3']);
    const queries = s.requests.filter((r) => r.path.endsWith('/points/query')).map((r) => [r.body.offset ?? 0, r.body.limit]);
    expect(queries).toEqual([
      [0, 6],
      [6, 6],
      [12, 6],
    ]);
  });

  it('answers from the groups alone when Qdrant filled them', async () => {
    const s = await standIn();
    serveCollection(s);
    s.on('POST /collections/:name/points/query/groups', () => ok({ groups: [0, 4, 8].map((i) => ({ id: `s${i / 4}`, hits: [ranked[i]] })) }));
    const hits = await adapter(s.url).search('c', faceRecords(1)[0]!.vector, { topK: 3, bestPerSubject: true });
    expect(hits.map((h) => h.id)).toEqual(['f0', 'f4', 'f8']);
    expect(s.calls().at(-1)).toBe('POST /collections/facerec_c/points/query/groups');
  });
});

describe('errors, timeouts and retries (row 6)', () => {
  const vector = () => faceRecords(1)[0]!.vector;

  it("keeps Qdrant's reason instead of a bare 'Bad Request', and does not retry it", async () => {
    const s = await standIn();
    serveCollection(s);
    const reason = 'Bad request: Index required but not found for "subject_id" of one of the following types: [keyword]';
    s.on('POST /collections/:name/points/query', () => qdrantError(400, reason));
    const err = await adapter(s.url).search('c', vector(), { topK: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).details).toEqual({ service: 'qdrant', status: 400, reason });
    expect((err as Error).message).toContain('Index required but not found');
    expect(s.calls().filter((c) => c.endsWith('/points/query'))).toHaveLength(1);
  });

  it('turns Qdrant\'s 404 for a collection into collection_not_found', async () => {
    const s = await standIn();
    serveCollection(s);
    const err = await adapter(s.url).search('gone', vector(), { topK: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ code: 'collection_not_found' });
  });

  it('a 404 that is not Qdrant\'s (wrong path in QDRANT_URL) is index_unavailable naming the URL, not "collection not found"', async () => {
    const s = await standIn();
    const err = await adapter(`${s.url}/wrong-prefix`).search('c', vector(), { topK: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect(err).toMatchObject({ status: 503, code: 'index_unavailable' });
    expect((err as Error).message).toMatch(/not Qdrant.*QDRANT_URL/);
  });

  it('a refused API key is an index_error that says to check QDRANT_API_KEY', async () => {
    const s = await standIn();
    s.on('GET /collections/:name/exists', () => ({ status: 401, body: 'Must provide an API key or an Authorization bearer token' }));
    const err = await adapter(s.url, { apiKey: 'wrong' }).describeCollection('c').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ code: 'index_error', details: { status: 401, reason: 'Must provide an API key or an Authorization bearer token' } });
    expect((err as Error).message).toMatch(/QDRANT_API_KEY/);
  });

  it('fails a stalled server within the configured timeout with 503 index_unavailable', async () => {
    const s = await standIn();
    serveCollection(s);
    s.on('POST /collections/:name/points/query', () => 'hang');
    const index = adapter(s.url, { timeoutMs: 400 });
    await index.upsert('c', faceRecords(1)); // opened: the next call is only the search
    const started = performance.now();
    const err = await index.search('c', vector(), { topK: 3 }).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect(err).toMatchObject({ status: 503, code: 'index_unavailable' });
    expect((err as Error).message).toMatch(/within 400 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(1000);
    // A stalled server is not hammered: one attempt.
    expect(s.calls().filter((c) => c.endsWith('/points/query'))).toHaveLength(1);
  });

  it('answers 503 index_unavailable at once, after bounded retries, when nothing listens', async () => {
    const port = await unusedPort();
    const index = await createVectorIndex({ dataDir: '/nonexistent', qdrantUrl: `http://127.0.0.1:${port}` });
    expect(index.kind).toBe('qdrant');
    const started = performance.now();
    const err = await index.describeCollection('c').catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect(err).toMatchObject({ status: 503, code: 'index_unavailable', details: { service: 'qdrant' } });
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
    await index.close();
  });

  it('retries a dropped connection and a 503 from a proxy, then succeeds', async () => {
    const s = await standIn();
    serveCollection(s);
    s.on('POST /collections/:name/points/query', (_r, _p, n) => (n === 0 ? 'drop' : n === 1 ? { status: 503, body: 'upstream connect error' } : ok({ points: [] })));
    expect(await adapter(s.url).search('c', vector(), { topK: 3 })).toEqual([]);
    expect(s.calls().filter((c) => c.endsWith('/points/query'))).toHaveLength(3);
  });

  it('gives up after the bounded retries with index_unavailable', async () => {
    const s = await standIn();
    serveCollection(s);
    s.on('POST /collections/:name/points/query', () => ({ status: 502, body: 'bad gateway' }));
    const err = await adapter(s.url, { retries: 2 }).search('c', vector(), { topK: 3 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'index_unavailable' });
    expect((err as Error).message).toMatch(/HTTP 502/);
    expect(s.calls().filter((c) => c.endsWith('/points/query'))).toHaveLength(3);
  });

  it('passes Qdrant\'s rate limiting on as 429 with Retry-After', async () => {
    const s = await standIn();
    serveCollection(s);
    s.on('POST /collections/:name/points/query', () => ({ status: 429, body: { status: { error: 'Rate limiting exceeded' } }, headers: { 'retry-after': '3' } }));
    const err = await adapter(s.url).search('c', vector(), { topK: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRequestsError);
    expect((err as TooManyRequestsError).retryAfterSeconds).toBe(3);
  });
});
