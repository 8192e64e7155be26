import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog, FaceRow, NewCollectionRow } from './catalog.ts';
import type { MigrationRecord } from './migration-record.ts';

/** One adapter under test: a fresh, empty catalog per test, and a way to reopen it as a restart would. */
export interface CatalogHarness {
  catalog: Catalog;
  /** Closes this catalog and opens the same store again. */
  reopen(): Promise<Catalog>;
  cleanup(): Promise<void>;
}

const collection = (tenant: string, name: string, id = `c_${tenant}_${name}`): NewCollectionRow => ({
  id,
  tenant,
  name,
  embedder: 'mobilefacenet',
  dimension: 128,
  threshold: null,
  targetFpir: 0.01,
  targetFar: null,
  createdAt: '2026-11-24T00:00:00.000Z',
});

const migration = (collectionId: string, id: string, state: MigrationRecord['state'] = 'running'): MigrationRecord => ({
  id,
  collectionId,
  tenant: 'a',
  from: { embedder: 'mobilefacenet', dimension: 128, generation: 0 },
  to: { embedder: 'arcface-mobilenet-128', dimension: 4, generation: 1 },
  state,
  batchId: 'b1',
  autoCommit: false,
  createdAt: `2026-12-01T00:00:0${id.length % 10}.000Z`,
  finishedAt: null,
  report: null,
  error: null,
  cleaned: false,
});

/** A 4-d vector for centroid arithmetic: easy sums, and not unit length on purpose (the catalog just adds). */
const vec = (...xs: number[]): Float32Array => Float32Array.from(xs);
const V0 = vec(0, 0, 0, 0);

const face = (collectionId: string, subjectId: string, id: string): FaceRow => ({
  id,
  collectionId,
  subjectId,
  sha256: 'ab'.repeat(32),
  quality: { passed: true, reasons: [] },
  box: { x: 1, y: 2, width: 30, height: 40 },
  createdAt: '2026-11-24T00:00:00.000Z',
});

/**
 * What every Catalog adapter must do, run against SQLite always and against Redis in the test run (the
 * fleet's catalog), so the collection service can rely on one behaviour.
 */
export function catalogContract(name: string, open: () => Promise<CatalogHarness>) {
describe(`Catalog contract: ${name}`, () => {
  let harness: CatalogHarness;
  let catalog: Catalog;

  beforeEach(async () => {
    harness = await open();
    catalog = harness.catalog;
  });
  afterEach(async () => {
    await harness.cleanup();
  });

  it('keeps collection names unique per tenant, not across tenants', async () => {
    expect(await catalog.createCollection(collection('a', 'staff'))).toBe(true);
    expect(await catalog.createCollection(collection('a', 'staff', 'c_other'))).toBe(false);
    expect(await catalog.createCollection(collection('b', 'staff'))).toBe(true);
    expect((await catalog.getCollection('a', 'staff'))?.id).toBe('c_a_staff');
    expect((await catalog.getCollection('b', 'staff'))?.id).toBe('c_b_staff');
    expect((await catalog.getCollectionById('c_b_staff'))?.tenant).toBe('b');
    expect(await catalog.getCollectionById('c_nope')).toBeNull();
    expect(await catalog.getCollection('c', 'staff')).toBeNull();
    expect((await catalog.listCollections('a')).map((c) => c.name)).toEqual(['staff']);
  });

  it('adds a face with its subject in one step; the same id again returns the first', async () => {
    await catalog.createCollection(collection('a', 'staff'));
    const first = await catalog.addFace(face('c_a_staff', 'alice', 'f1'), { team: 'blue' }, V0);
    expect(first).toMatchObject({ id: 'f1', subjectId: 'alice', quality: { passed: true, reasons: [] } });
    const again = await catalog.addFace({ ...face('c_a_staff', 'alice', 'f1'), createdAt: '2030-01-01T00:00:00.000Z' }, undefined, V0);
    expect(again.createdAt).toBe(first.createdAt);
    await catalog.addFace(face('c_a_staff', 'alice', 'f2'), undefined, V0);
    expect(await catalog.getSubject('c_a_staff', 'alice')).toMatchObject({ metadata: { team: 'blue' }, faceCount: 2 });
    await catalog.addFace(face('c_a_staff', 'alice', 'f3'), { team: 'red' }, V0);
    expect((await catalog.getSubject('c_a_staff', 'alice'))?.metadata).toEqual({ team: 'red' });
    expect(await catalog.countFaces('c_a_staff')).toBe(3);
    expect(await catalog.knownFaceIds('c_a_staff', ['f1', 'f3', 'ghost'])).toEqual(new Set(['f1', 'f3']));
    expect(await catalog.knownFaceIds('c_b_staff', ['f1'])).toEqual(new Set());
  });

  it('pages subjects in subject_id order after a cursor', async () => {
    await catalog.createCollection(collection('a', 'staff'));
    for (const s of ['carol', 'alice', 'bob', 'dave']) await catalog.addFace(face('c_a_staff', s, `f-${s}`), undefined, V0);
    expect((await catalog.listSubjects('c_a_staff', { limit: 2 })).map((s) => s.subjectId)).toEqual(['alice', 'bob']);
    expect((await catalog.listSubjects('c_a_staff', { after: 'bob', limit: 10 })).map((s) => s.subjectId)).toEqual(['carol', 'dave']);
    expect(await catalog.listSubjects('c_a_staff', { after: 'dave', limit: 10 })).toEqual([]);
  });

  it('deletes faces, subjects (with their faces) and collections (with everything)', async () => {
    await catalog.createCollection(collection('a', 'staff'));
    await catalog.addFace(face('c_a_staff', 'alice', 'f1'), undefined, V0);
    await catalog.addFace(face('c_a_staff', 'alice', 'f2'), undefined, V0);
    await catalog.addFace(face('c_a_staff', 'bob', 'f3'), undefined, V0);
    expect(await catalog.deleteFace('c_a_staff', 'f1', null)).toBe(true);
    expect(await catalog.deleteFace('c_a_staff', 'f1', null)).toBe(false);
    expect((await catalog.listFaces('c_a_staff', 'alice')).map((f) => f.id)).toEqual(['f2']);
    expect(await catalog.deleteSubject('c_a_staff', 'alice', null)).toBe(true);
    expect(await catalog.getFace('c_a_staff', 'f2')).toBeNull();
    expect(await catalog.deleteSubject('c_a_staff', 'alice', null)).toBe(false);
    expect(await catalog.deleteCollection('c_a_staff')).toBe(true);
    expect(await catalog.getFace('c_a_staff', 'f3')).toBeNull();
    expect(await catalog.countSubjects('c_a_staff')).toBe(0);
    expect(await catalog.getCollection('a', 'staff')).toBeNull();
  });

  it('keeps the sum of enrolled vectors: added once per new face, removed with faces and subjects, gone with the collection', async () => {
    await catalog.createCollection(collection('a', 'staff'));
    expect(await catalog.getCentroid('c_a_staff')).toBeNull();
    await catalog.addFace(face('c_a_staff', 'alice', 'f1'), undefined, vec(1, 2, 3, 4));
    await catalog.addFace(face('c_a_staff', 'alice', 'f1'), undefined, vec(1, 2, 3, 4)); // a retry: already there
    await catalog.addFace(face('c_a_staff', 'alice', 'f2'), undefined, vec(0.5, 0, -1, 0.25));
    await catalog.addFace(face('c_a_staff', 'bob', 'f3'), undefined, vec(-1, 1, 0, 0));
    const sumOf = async () => {
      const c = await catalog.getCentroid('c_a_staff');
      return c && { count: c.count, sum: Array.from(c.sum, (x) => Math.round(x * 1e6) / 1e6) };
    };
    expect(await sumOf()).toEqual({ count: 3, sum: [0.5, 3, 2, 4.25] });
    expect(await catalog.deleteFace('c_a_staff', 'f2', vec(0.5, 0, -1, 0.25))).toBe(true);
    expect(await catalog.deleteFace('c_a_staff', 'f2', vec(0.5, 0, -1, 0.25))).toBe(false); // nothing left to subtract
    expect(await sumOf()).toEqual({ count: 2, sum: [0, 3, 3, 4] });
    expect(await catalog.facesOfSubjects('c_a_staff', ['alice', 'bob', 'nobody'])).toEqual(new Map([['alice', ['f1']], ['bob', ['f3']]]));
    expect(await catalog.deleteSubject('c_a_staff', 'alice', { sum: Float64Array.from([1, 2, 3, 4]), count: 1 })).toBe(true);
    expect(await sumOf()).toEqual({ count: 1, sum: [-1, 1, 0, 0] });
    catalog = await harness.reopen();
    expect(await sumOf()).toEqual({ count: 1, sum: [-1, 1, 0, 0] });
    expect(await catalog.deleteCollection('c_a_staff')).toBe(true);
    expect(await catalog.getCentroid('c_a_staff')).toBeNull();
  });

  it('keeps metadata JSON exactly as given, arrays and nesting included', async () => {
    await catalog.createCollection(collection('a', 'staff'));
    const metadata = { tags: [], nested: { list: [1, 'two', null], empty: {} }, unicode: 'Zoë 张' };
    await catalog.addFace(face('c_a_staff', 'alice', 'f1'), metadata, V0);
    expect((await catalog.getSubject('c_a_staff', 'alice'))?.metadata).toEqual(metadata);
    expect((await catalog.listSubjects('c_a_staff', { limit: 10 }))[0]?.metadata).toEqual(metadata);
  });

  it('refuses a face for a collection that does not exist, storing nothing', async () => {
    await expect(catalog.addFace(face('c_gone', 'alice', 'f1'), undefined, V0)).rejects.toThrow();
    expect(await catalog.getSubject('c_gone', 'alice')).toBeNull();
    expect(await catalog.countFaces('c_gone')).toBe(0);
  });

  it('drops a collection with many subjects and faces completely, leaving other collections alone', async () => {
    await catalog.createCollection(collection('a', 'big'));
    await catalog.createCollection(collection('a', 'small'));
    for (let i = 0; i < 300; i++) await catalog.addFace(face('c_a_big', `s${i % 120}`, `f${i}`), i % 2 ? { i } : undefined, V0);
    await catalog.addFace(face('c_a_small', 'alice', 'g1'), undefined, V0);
    expect(await catalog.countSubjects('c_a_big')).toBe(120);
    expect(await catalog.countFaces('c_a_big')).toBe(300);
    expect(await catalog.deleteCollection('c_a_big')).toBe(true);
    expect(await catalog.deleteCollection('c_a_big')).toBe(false);
    expect(await catalog.countSubjects('c_a_big')).toBe(0);
    expect(await catalog.countFaces('c_a_big')).toBe(0);
    expect(await catalog.listSubjects('c_a_big', { limit: 10 })).toEqual([]);
    expect((await catalog.listCollections('a')).map((c) => c.name)).toEqual(['small']);
    expect((await catalog.getFace('c_a_small', 'g1'))?.subjectId).toBe('alice');
    // The name is free again, for a new collection with a new id.
    expect(await catalog.createCollection(collection('a', 'big', 'c_a_big2'))).toBe(true);
    expect(await catalog.countFaces('c_a_big2')).toBe(0);
  });

  it('keeps a face\'s crop with it, and deletes it with the face, the subject or the collection', async () => {
    await catalog.createCollection(collection('a', 'staff'));
    const jpeg = (n: number) => Uint8Array.from([0xff, 0xd8, 0xff, n, 0, 1, 2, 0xff, 0xd9]);
    await catalog.addFace(face('c_a_staff', 'alice', 'f1'), undefined, V0, { crop: jpeg(1) });
    await catalog.addFace(face('c_a_staff', 'alice', 'f2'), undefined, V0, { crop: jpeg(2) });
    await catalog.addFace(face('c_a_staff', 'bob', 'f3'), undefined, V0, { crop: jpeg(3) });
    await catalog.addFace(face('c_a_staff', 'bob', 'f4'), undefined, V0);
    // A retry of an existing face neither replaces nor adds a crop.
    await catalog.addFace(face('c_a_staff', 'alice', 'f1'), undefined, V0, { crop: jpeg(9) });
    expect(Array.from((await catalog.getCrop('c_a_staff', 'f1'))!)).toEqual(Array.from(jpeg(1)));
    expect(await catalog.getCrop('c_a_staff', 'f4')).toBeNull();
    expect(await catalog.getCrop('c_other', 'f1')).toBeNull();
    expect((await catalog.getFaces('c_a_staff', ['f3', 'ghost', 'f1'])).map((f) => f.id)).toEqual(['f3', 'f1']);

    expect(await catalog.deleteFace('c_a_staff', 'f1', null)).toBe(true);
    expect(await catalog.getCrop('c_a_staff', 'f1')).toBeNull();
    expect(await catalog.getCrop('c_a_staff', 'f2')).not.toBeNull();
    expect(await catalog.deleteSubject('c_a_staff', 'alice', null)).toBe(true);
    expect(await catalog.getCrop('c_a_staff', 'f2')).toBeNull();
    expect(await catalog.getCrop('c_a_staff', 'f3')).not.toBeNull();
    catalog = await harness.reopen();
    expect(Array.from((await catalog.getCrop('c_a_staff', 'f3'))!)).toEqual(Array.from(jpeg(3)));
    expect(await catalog.deleteCollection('c_a_staff')).toBe(true);
    expect(await catalog.getCrop('c_a_staff', 'f3')).toBeNull();
  });

  it('refuses a guarded face write made for another generation, changing nothing', async () => {
    await catalog.createCollection({ ...collection('a', 'staff'), generation: 2 });
    expect(await catalog.getCollection('a', 'staff')).toMatchObject({ generation: 2, storeCrops: true, faceIdSeed: null, fence: null });
    const stale = catalog.addFace(face('c_a_staff', 'alice', 'f1'), { x: 1 }, vec(1, 0, 0, 0), { guard: { generation: 1 }, crop: Uint8Array.from([1]) });
    await expect(stale).rejects.toMatchObject({ status: 503, code: 'collection_switching' });
    expect(await catalog.getSubject('c_a_staff', 'alice')).toBeNull();
    expect(await catalog.getCentroid('c_a_staff')).toBeNull();
    await catalog.addFace(face('c_a_staff', 'alice', 'f1'), undefined, vec(1, 0, 0, 0), { guard: { generation: 2 } });
    await expect(catalog.deleteFace('c_a_staff', 'f1', vec(1, 0, 0, 0), { guard: { generation: 1 } })).rejects.toMatchObject({ code: 'collection_switching' });
    await expect(catalog.deleteSubject('c_a_staff', 'alice', null, { guard: { generation: 3 } })).rejects.toMatchObject({ code: 'collection_switching' });
    expect(await catalog.getFace('c_a_staff', 'f1')).not.toBeNull();
    expect((await catalog.getCentroid('c_a_staff'))?.count).toBe(1);
    expect(await catalog.deleteFace('c_a_staff', 'f1', vec(1, 0, 0, 0), { guard: { generation: 2 } })).toBe(true);
    const opted = { ...collection('a', 'private', 'c_private'), storeCrops: false };
    await catalog.createCollection(opted);
    expect((await catalog.getCollectionById('c_private'))?.storeCrops).toBe(false);
  });

  it('keeps one active migration per collection, moved on by compare-and-set, found again after a restart', async () => {
    await catalog.createCollection(collection('a', 'staff'));
    await catalog.createCollection(collection('a', 'other'));
    expect(await catalog.createMigration(migration('c_a_staff', 'm1'))).toBe(true);
    expect(await catalog.createMigration(migration('c_a_staff', 'm2'))).toBe(false);
    expect(await catalog.createMigration(migration('c_gone', 'm3'))).toBe(false);
    expect(await catalog.createMigration(migration('c_a_other', 'm4'))).toBe(true);
    expect((await catalog.activeMigration('c_a_staff'))?.id).toBe('m1');
    expect((await catalog.getMigration('c_a_staff', 'm1'))?.to).toEqual({ embedder: 'arcface-mobilenet-128', dimension: 4, generation: 1 });
    expect(await catalog.getMigration('c_a_other', 'm1')).toBeNull();

    const ready = { ...migration('c_a_staff', 'm1', 'ready'), batchId: 'b2' };
    expect(await catalog.updateMigration(ready, ['running'])).toBe(true);
    // Another gateway already moved it on: a second writer expecting `running` loses.
    expect(await catalog.updateMigration({ ...ready, state: 'failed' }, ['running'])).toBe(false);
    catalog = await harness.reopen();
    expect((await catalog.activeMigrations()).map((m) => `${m.collectionId}/${m.id}/${m.state}`).sort()).toEqual(['c_a_other/m4/running', 'c_a_staff/m1/ready']);
    expect(await catalog.updateMigration({ ...ready, state: 'rolled_back' }, ['running', 'ready'])).toBe(true);
    expect(await catalog.activeMigration('c_a_staff')).toBeNull();
    expect(await catalog.createMigration(migration('c_a_staff', 'm22'))).toBe(true);
    expect((await catalog.listMigrations('c_a_staff')).map((m) => m.id)).toEqual(['m22', 'm1']);

    expect(await catalog.deleteCollection('c_a_other')).toBe(true);
    expect((await catalog.activeMigrations()).map((m) => m.id)).toEqual(['m22']);
  });

  it('switches a fenced collection to the migration\'s space in one step: row, centroid, fence and record together', async () => {
    await catalog.createCollection(collection('a', 'staff'));
    await catalog.addFace(face('c_a_staff', 'alice', 'f1'), undefined, vec(1, 2, 3, 4), { guard: { generation: 0 } });
    const rec = migration('c_a_staff', 'm1');
    await catalog.createMigration(rec);
    const committing = { ...rec, state: 'committing' as const };
    const committed = { ...rec, state: 'committed' as const, finishedAt: '2026-12-01T01:00:00.000Z' };
    const centroid = { sum: Float64Array.from([0.5, 0.25, -1, 2]), count: 1 };

    // Not fenced, not committing: nothing changes.
    expect(await catalog.switchEmbedder('c_a_staff', committed, centroid)).toBe(false);
    expect(await catalog.setFence('c_a_staff', 'm1', 'someone-else')).toBe(false);
    expect(await catalog.setFence('c_a_staff', 'm1', null)).toBe(true);
    expect(await catalog.switchEmbedder('c_a_staff', committed, centroid)).toBe(false);
    // Fenced: guarded face writes wait, for any generation.
    await expect(catalog.addFace(face('c_a_staff', 'bob', 'f2'), undefined, vec(1, 1, 1, 1), { guard: { generation: 0 } })).rejects.toMatchObject({ code: 'collection_switching' });
    expect(await catalog.updateMigration(committing, ['running'])).toBe(true);
    expect(await catalog.switchEmbedder('c_a_staff', committed, centroid)).toBe(true);
    expect(await catalog.switchEmbedder('c_a_staff', committed, centroid)).toBe(false);

    expect(await catalog.getCollection('a', 'staff')).toMatchObject({ embedder: 'arcface-mobilenet-128', dimension: 4, generation: 1, fence: null });
    const c = await catalog.getCentroid('c_a_staff');
    expect({ count: c?.count, sum: Array.from(c!.sum) }).toEqual({ count: 1, sum: [0.5, 0.25, -1, 2] });
    expect((await catalog.getMigration('c_a_staff', 'm1'))?.state).toBe('committed');
    expect(await catalog.activeMigrations()).toEqual([]);
    await expect(catalog.addFace(face('c_a_staff', 'bob', 'f2'), undefined, vec(1, 1, 1, 1), { guard: { generation: 0 } })).rejects.toMatchObject({ code: 'collection_switching' });
    await catalog.addFace(face('c_a_staff', 'bob', 'f2'), undefined, vec(1, 1, 1, 1), { guard: { generation: 1 } });
    expect((await catalog.getCentroid('c_a_staff'))?.count).toBe(2);
  });

  it('loads an import under a hidden name, sets its sum exactly and renames it into view', async () => {
    await catalog.createCollection(collection('a', '~import-1', 'c_imp'));
    await catalog.createCollection(collection('a', 'taken'));
    expect((await catalog.listCollections('a')).map((c) => c.name)).toEqual(['taken']);
    const f1 = face('c_imp', 'alice', 'f1');
    await catalog.importRows('c_imp', {
      subjects: [{ subjectId: 'alice', metadata: { x: [] }, createdAt: '2020-01-01T00:00:00.000Z' }, { subjectId: 'bob', metadata: null, createdAt: '2020-01-02T00:00:00.000Z' }],
      faces: [{ face: f1, crop: Uint8Array.from([0xff, 0xd8, 1]) }, { face: face('c_imp', 'alice', 'f2') }, { face: face('c_imp', 'bob', 'f3') }],
    });
    // Sums whose decimal digits matter to the last bit.
    const sum = Float64Array.from([0.1 + 0.2, 1 / 3, -2.5e-17, 123456.789012345]);
    await catalog.setCentroid('c_imp', { sum, count: 3 });
    expect(await catalog.renameCollection('c_imp', 'taken')).toBe(false);
    expect(await catalog.renameCollection('c_imp', 'imported')).toBe(true);
    catalog = await harness.reopen();
    expect((await catalog.listCollections('a')).map((c) => c.name)).toEqual(['imported', 'taken']);
    expect(await catalog.getCollection('a', '~import-1')).toBeNull();
    expect(await catalog.getSubject('c_imp', 'alice')).toMatchObject({ metadata: { x: [] }, faceCount: 2, createdAt: '2020-01-01T00:00:00.000Z' });
    expect(await catalog.facesOfSubjects('c_imp', ['alice', 'bob'])).toEqual(new Map([['alice', ['f1', 'f2']], ['bob', ['f3']]]));
    expect(Array.from((await catalog.getCrop('c_imp', 'f1'))!)).toEqual([0xff, 0xd8, 1]);
    const back = await catalog.getCentroid('c_imp');
    expect(back?.count).toBe(3);
    expect(Array.from(back!.sum)).toEqual(Array.from(sum));
    // Deleting an imported face keeps the running sum consistent.
    expect(await catalog.deleteFace('c_imp', 'f3', vec(1, 0, 0, 0))).toBe(true);
    expect((await catalog.getCentroid('c_imp'))?.count).toBe(2);
  });

  it('survives reopening the file: what was committed is there', async () => {
    await catalog.createCollection(collection('a', 'staff'));
    await catalog.addFace(face('c_a_staff', 'alice', 'f1'), { x: 1 }, V0);
    await catalog.createCollection({ ...collection('a', 'fixed'), threshold: 0.42, targetFpir: null, targetFar: '1e-4' });
    catalog = await harness.reopen();
    expect(await catalog.getCollection('a', 'staff')).toMatchObject({ threshold: null, targetFpir: 0.01, targetFar: null });
    expect(await catalog.getCollection('a', 'fixed')).toMatchObject({ threshold: 0.42, targetFpir: null, targetFar: '1e-4' });
    expect(await catalog.getSubject('c_a_staff', 'alice')).toMatchObject({ metadata: { x: 1 }, faceCount: 1 });
  });
});
}
