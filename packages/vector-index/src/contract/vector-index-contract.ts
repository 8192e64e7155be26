import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, VectorError } from '@facerec/errors';
import { faceLikeGenerator } from '../synthetic/face-like-embeddings.ts';
import type { SearchHit, VectorIndex, VectorRecord } from '../vector-index.ts';

/**
 * The behaviour every VectorIndex adapter must share, registered as vitest tests. Each test gets a fresh index
 * from `factory` and its own collection names, and drops what it created, so suites can share a server.
 */
export interface ContractOptions {
  /** Extra per-test teardown after the index is closed (e.g. removing a temp dataDir). */
  afterClose?: () => Promise<void> | void;
  /** The large recall test; adapters over a network can shrink it. */
  recallFaces?: number;
  /**
   * Whether a unit vector read back and written again must be stored bit for bit (what makes an exported and
   * re-imported collection score exactly like the original). Qdrant normalises Cosine vectors itself.
   */
  exactUnitVectors?: boolean;
}

const DIM = 128;

export function faceRecords(
  count: number,
  opts: { seed?: number; perSubject?: number; subjectPrefix?: string; genuineCosine?: [number, number] } = {},
): VectorRecord[] {
  const g = faceLikeGenerator({ seed: opts.seed ?? 11, ...(opts.genuineCosine ? { genuineCosine: opts.genuineCosine } : {}) });
  const per = opts.perSubject ?? 5;
  const prefix = opts.subjectPrefix ?? `s${opts.seed ?? 11}-`;
  return Array.from({ length: count }, (_, i) => {
    const id = randomUUID();
    const subject = Math.floor(i / per);
    return { id, vector: g.sample(subject), payload: { subject_id: `${prefix}${subject}`, face_id: id, photo: i % per } };
  });
}

/** Exact cosine ranking, the ground truth for every ordering assertion. */
export function bruteForce(records: VectorRecord[], q: Float32Array, k: number): { id: string; score: number; subject: string }[] {
  const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const qn = norm(q);
  return records
    .map((r) => {
      let d = 0;
      for (let i = 0; i < q.length; i++) d += q[i]! * r.vector[i]!;
      return { id: r.id, score: d / (qn * norm(r.vector)), subject: r.payload.subject_id };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

function expectDescending(hits: SearchHit[]): void {
  for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score + 1e-6);
}

export function vectorIndexContract(label: string, factory: () => Promise<VectorIndex>, opts: ContractOptions = {}): void {
  describe(`VectorIndex contract: ${label}`, () => {
    let index: VectorIndex;
    const created: string[] = [];
    const collection = async (dimension = DIM): Promise<string> => {
      const name = `t_${randomUUID().slice(0, 8)}`;
      created.push(name);
      await index.createCollection(name, { dimension });
      return name;
    };

    beforeEach(async () => {
      index = await factory();
    });

    afterEach(async () => {
      for (const name of created.splice(0)) await index.dropCollection(name);
      await index.close();
      await opts.afterClose?.();
    });

    it('creates, describes and drops collections; create is idempotent', async () => {
      const name = `t_${randomUUID().slice(0, 8)}`;
      expect(await index.describeCollection(name)).toBeNull();
      await index.createCollection(name, { dimension: DIM });
      created.push(name);
      await index.createCollection(name, { dimension: DIM });
      expect(await index.describeCollection(name)).toEqual({ name, dimension: DIM, count: 0 });
      expect(await index.dropCollection(name)).toBe(true);
      expect(await index.dropCollection(name)).toBe(false);
      expect(await index.describeCollection(name)).toBeNull();
    });

    it('refuses to re-create a collection with another dimension', async () => {
      const name = await collection();
      await expect(index.createCollection(name, { dimension: 64 })).rejects.toBeInstanceOf(ConflictError);
    });

    it('holds a migration\'s shadow space beside a collection: another dimension, same ids, each answered and dropped on its own', async () => {
      const current = await collection();
      const records = faceRecords(40);
      await index.upsert(current, records);
      // A migration writes the same faces, re-embedded by another model, into `<collection>_g1`.
      const shadow = `${current}_g1`;
      created.push(shadow);
      await index.createCollection(shadow, { dimension: 64 });
      const reembedded = records.map((r) => ({ ...r, vector: Float32Array.from({ length: 64 }, (_, i) => r.vector[i]! - r.vector[i + 64]!) }));
      await index.upsert(shadow, reembedded.slice(0, 30));
      expect(await index.describeCollection(current)).toMatchObject({ dimension: DIM, count: 40 });
      expect(await index.describeCollection(shadow)).toMatchObject({ dimension: 64, count: 30 });
      // Enrollments and deletes during the migration reach both; the current space answers as before.
      await index.upsert(shadow, reembedded.slice(30));
      expect(await index.delete(shadow, [records[0]!.id])).toBe(1);
      expect(await index.deleteBySubject(shadow, records[1]!.payload.subject_id)).toBeGreaterThan(0);
      const hit = await index.search(current, records[0]!.vector, { topK: 1 });
      expect(hit[0]!.id).toBe(records[0]!.id);
      expect((await index.get(current, records.map((r) => r.id))).length).toBe(40);
      const moved = await index.get(shadow, [records[5]!.id]);
      expect(moved[0]!.vector.length).toBe(64);
      expect((await index.search(shadow, reembedded[5]!.vector, { topK: 1 }))[0]!.id).toBe(records[5]!.id);
      // The commit drops the old space (a rollback the shadow); the other stays whole.
      expect(await index.dropCollection(current)).toBe(true);
      expect((await index.search(shadow, reembedded[7]!.vector, { topK: 1 }))[0]!.id).toBe(records[7]!.id);
      await expect(index.upsert(current, records.slice(0, 1))).rejects.toBeInstanceOf(NotFoundError);
    });

    it('upserts and gets records with normalised vectors and payload metadata', async () => {
      const name = await collection();
      const records = faceRecords(20);
      records[0]!.vector = records[0]!.vector.map((x) => x * 7);
      await index.upsert(name, records);
      expect((await index.describeCollection(name))?.count).toBe(20);
      const got = await index.get(name, [records[3]!.id, randomUUID(), records[0]!.id]);
      expect(got.map((r) => r.id)).toEqual([records[3]!.id, records[0]!.id]);
      expect(got[0]!.payload).toEqual(records[3]!.payload);
      const n = Math.sqrt(got[1]!.vector.reduce((s, x) => s + x * x, 0));
      expect(n).toBeCloseTo(1, 5);
      expect(got[1]!.vector[5]! * 7).toBeCloseTo(records[0]!.vector[5]! / Math.sqrt(records[0]!.vector.reduce((s, x) => s + x * x, 0)) * 7, 4);
    });

    it.runIf(opts.exactUnitVectors ?? true)('stores a vector already unit length to float32 precision bit for bit (an exported one written again)', async () => {
      const name = await collection();
      const records = faceRecords(30);
      await index.upsert(name, records);
      // Unit length to float32 precision, but not exactly what a fresh normalisation would produce.
      const stored = (await index.get(name, records.map((r) => r.id))).map((r) => ({ ...r, vector: r.vector.map((x) => x * (1 + 2e-7)) }));
      const copy = await collection();
      await index.upsert(copy, stored);
      const again = await index.get(copy, records.map((r) => r.id));
      expect(again.map((r) => Array.from(r.vector))).toEqual(stored.map((r) => Array.from(r.vector)));
    });

    it('finds the exact stored vector first with score ~1', async () => {
      const name = await collection();
      const records = faceRecords(200);
      await index.upsert(name, records);
      for (const r of [records[0]!, records[77]!, records[199]!]) {
        const hits = await index.search(name, r.vector, { topK: 3 });
        expect(hits[0]!.id).toBe(r.id);
        expect(hits[0]!.score).toBeCloseTo(1, 4);
        expect(hits[0]!.payload.subject_id).toBe(r.payload.subject_id);
      }
    });

    it('returns topK hits best first, matching brute force', async () => {
      const name = await collection();
      const records = faceRecords(300);
      await index.upsert(name, records);
      const probe = faceLikeGenerator({ seed: 11, photoSeed: 5 }).sample(4);
      const hits = await index.search(name, probe, { topK: 10 });
      expect(hits).toHaveLength(10);
      expectDescending(hits);
      const truth = bruteForce(records, probe, 10);
      expect(hits.map((h) => h.id)).toEqual(truth.map((t) => t.id));
      hits.forEach((h, i) => expect(h.score).toBeCloseTo(truth[i]!.score, 4));
      expect(await index.search(name, probe, { topK: 1000 })).toHaveLength(300);
    });

    it('filters by subject', async () => {
      const name = await collection();
      const records = faceRecords(100);
      await index.upsert(name, records);
      const probe = faceLikeGenerator({ seed: 11, photoSeed: 5 }).sample(2);
      const hits = await index.search(name, probe, { topK: 10, subjectId: records[40]!.payload.subject_id });
      expect(hits).toHaveLength(5);
      expect(new Set(hits.map((h) => h.payload.subject_id))).toEqual(new Set([records[40]!.payload.subject_id]));
      expectDescending(hits);
      expect(await index.search(name, probe, { topK: 10, subjectId: 'nobody' })).toEqual([]);
    });

    it('returns each subject once with its best face when bestPerSubject is set', async () => {
      const name = await collection();
      const records = faceRecords(300);
      await index.upsert(name, records);
      const probe = faceLikeGenerator({ seed: 11, photoSeed: 5 }).sample(9);
      const hits = await index.search(name, probe, { topK: 8, bestPerSubject: true });
      expect(hits).toHaveLength(8);
      expectDescending(hits);
      const subjects = hits.map((h) => h.payload.subject_id);
      expect(new Set(subjects).size).toBe(8);
      const best = new Map<string, string>();
      for (const t of bruteForce(records, probe, records.length)) if (!best.has(t.subject)) best.set(t.subject, t.id);
      expect(subjects).toEqual([...best.keys()].slice(0, 8));
      for (const h of hits) expect(h.id).toBe(best.get(h.payload.subject_id));
    });

    it('bestPerSubject still returns top_k subjects when each subject owns 25 near-identical faces', async () => {
      // Crowding: the probe's nearest 25 faces are one person's, the next 25 another's, and so on. Qdrant's own
      // grouping gives up after a few rounds here and returned fewer subjects than asked.
      const name = await collection();
      const records = faceRecords(60 * 25, { seed: 31, perSubject: 25, genuineCosine: [0.97, 0.99] });
      await index.upsert(name, records);
      const probe = faceLikeGenerator({ seed: 31, photoSeed: 7, genuineCosine: [0.97, 0.99] }).sample(12);
      const best = new Map<string, string>();
      for (const t of bruteForce(records, probe, records.length)) if (!best.has(t.subject)) best.set(t.subject, t.id);
      for (const topK of [1, 10, 40]) {
        const hits = await index.search(name, probe, { topK, bestPerSubject: true });
        expect(hits.map((h) => h.payload.subject_id), `top ${topK} subjects`).toEqual([...best.keys()].slice(0, topK));
        for (const h of hits) expect(h.id).toBe(best.get(h.payload.subject_id));
        expectDescending(hits);
      }
      // More subjects asked for than exist: every subject, once.
      const all = await index.search(name, probe, { topK: 100, bestPerSubject: true });
      expect(all.map((h) => h.payload.subject_id)).toEqual([...best.keys()]);
    });

    it('delete removes records from get and search', async () => {
      const name = await collection();
      const records = faceRecords(100);
      await index.upsert(name, records);
      const gone = records.slice(0, 10).map((r) => r.id);
      expect(await index.delete(name, [...gone, randomUUID()])).toBe(10);
      expect(await index.delete(name, gone)).toBe(0);
      expect(await index.get(name, gone)).toEqual([]);
      expect((await index.describeCollection(name))?.count).toBe(90);
      for (const r of records.slice(0, 10)) {
        const hits = await index.search(name, r.vector, { topK: 20 });
        expect(hits.map((h) => h.id)).not.toContain(r.id);
      }
    });

    it('deleteBySubject removes every face of that subject', async () => {
      const name = await collection();
      const records = faceRecords(100);
      await index.upsert(name, records);
      const subject = records[25]!.payload.subject_id;
      expect(await index.deleteBySubject(name, subject)).toBe(5);
      expect(await index.deleteBySubject(name, subject)).toBe(0);
      const hits = await index.search(name, records[25]!.vector, { topK: 50 });
      expect(hits.some((h) => h.payload.subject_id === subject)).toBe(false);
      expect(await index.search(name, records[25]!.vector, { topK: 5, subjectId: subject })).toEqual([]);
      expect((await index.describeCollection(name))?.count).toBe(95);
    });

    it('throws NotFoundError for an unknown collection', async () => {
      const name = `t_missing_${randomUUID().slice(0, 8)}`;
      const v = faceRecords(1)[0]!;
      await expect(index.upsert(name, [v])).rejects.toBeInstanceOf(NotFoundError);
      await expect(index.get(name, [v.id])).rejects.toBeInstanceOf(NotFoundError);
      await expect(index.search(name, v.vector, { topK: 1 })).rejects.toBeInstanceOf(NotFoundError);
      await expect(index.delete(name, [v.id])).rejects.toBeInstanceOf(NotFoundError);
      await expect(index.deleteBySubject(name, 'x')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('rejects vectors of the wrong length or with NaN/Infinity', async () => {
      const name = await collection();
      const [good] = faceRecords(1);
      const code = (p: Promise<unknown>) =>
        p.then(
          () => 'resolved',
          (e: unknown) => (e instanceof VectorError ? e.code : String(e)),
        );
      expect(await code(index.upsert(name, [{ ...good!, vector: new Float32Array(64) }]))).toBe('dimension_mismatch');
      expect(await code(index.search(name, new Float32Array(129), { topK: 1 }))).toBe('dimension_mismatch');
      const nan = good!.vector.slice();
      nan[3] = Number.NaN;
      const inf = good!.vector.slice();
      inf[0] = Number.POSITIVE_INFINITY;
      expect(await code(index.upsert(name, [good!, { ...good!, id: randomUUID(), vector: nan }]))).toBe('invalid_vector');
      expect(await code(index.search(name, inf, { topK: 1 }))).toBe('invalid_vector');
      // A rejected batch writes nothing, not even its valid records.
      expect((await index.describeCollection(name))?.count).toBe(0);
    });

    it('upserting an existing id replaces it', async () => {
      const name = await collection();
      const records = faceRecords(50);
      await index.upsert(name, records);
      const other = faceRecords(1, { seed: 99 })[0]!;
      const replaced = { id: records[0]!.id, vector: other.vector, payload: { subject_id: 'moved', face_id: records[0]!.id } };
      await index.upsert(name, [replaced]);
      expect((await index.describeCollection(name))?.count).toBe(50);
      const [got] = await index.get(name, [records[0]!.id]);
      expect(got!.payload.subject_id).toBe('moved');
      const hits = await index.search(name, other.vector, { topK: 1 });
      expect(hits[0]!.id).toBe(records[0]!.id);
      expect(hits[0]!.score).toBeCloseTo(1, 4);
      const old = await index.search(name, records[0]!.vector, { topK: 5 });
      expect(old.find((h) => h.id === records[0]!.id)?.score ?? 0).toBeLessThan(0.9);
    });

    it('keeps recall@10 >= 0.99 against brute force on face-like data', async () => {
      const name = await collection();
      const n = opts.recallFaces ?? 5000;
      const records = faceRecords(n, { seed: 21 });
      for (let i = 0; i < n; i += 1000) await index.upsert(name, records.slice(i, i + 1000));
      const g = faceLikeGenerator({ seed: 21, photoSeed: 4242 });
      let found = 0;
      let total = 0;
      for (let p = 0; p < 100; p++) {
        // A fresh photo of an enrolled subject, as a real "who is this?" query would be.
        const probe = g.sample((p * 37) % Math.floor(n / 5));
        const truth = new Set(bruteForce(records, probe, 10).map((t) => t.id));
        const hits = await index.search(name, probe, { topK: 10 });
        found += hits.filter((h) => truth.has(h.id)).length;
        total += 10;
      }
      expect(found / total).toBeGreaterThanOrEqual(0.99);
    }, 120_000);
  });
}
