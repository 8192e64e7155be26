import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Extraction } from '@facerec/face';
import { createVectorIndex, type VectorIndex } from '@facerec/vector-index';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CollectionService } from './collection-service.ts';
import { faceIdFor } from './ids.ts';
import { SqliteCatalog } from './sqlite-catalog.ts';

const DIM = 8;

/** A unit vector along one axis (plus a little of the next), so who matches whom is obvious. */
function axis(i: number, lean = 0): number[] {
  const v = new Array<number>(DIM).fill(0);
  v[i % DIM] = 1;
  v[(i + 1) % DIM] = lean;
  return v;
}

function extraction(...features: number[][]): Extraction {
  return {
    model: { detector: 'd', embedder: 'e', dimension: DIM },
    width: 100,
    height: 100,
    face_count: features.length,
    faces: features.map((feature) => ({
      box: { x: 0, y: 0, width: 50, height: 50 },
      score: 0.9,
      landmarks: [],
      quality: { passed: true, reasons: features.length > 1 ? ['multiple_faces'] : [], metrics: {} },
      feature,
    })),
    timings_ms: {},
  };
}

describe('CollectionService over SQLite + the embedded vector index', () => {
  let dir: string;
  let index: VectorIndex;
  let service: CollectionService;

  const open = async () => {
    index = await createVectorIndex({ dataDir: dir });
    service = new CollectionService({
      catalog: new SqliteCatalog(join(dir, 'catalog.sqlite')),
      index,
      embedder: { id: 'e', dimension: DIM },
      thresholds: { default: 0.5, byFar: { '1e-3': 0.6 } },
    });
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'collections-test-'));
    await open();
  });
  afterEach(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const enroll = (col: Parameters<CollectionService['enroll']>[0], subjectId: string, feature: number[], sha = subjectId, allowConflict = false) =>
    service.enroll(col, extraction(feature), { subjectId, imageSha256: sha, allowMultiple: false, allowConflict });

  it('identifies by best face per subject and leaves unknown faces unmatched', async () => {
    const col = await service.create('t', { name: 'staff' });
    await enroll(col, 'alice', axis(0));
    await enroll(col, 'bob', axis(2));
    const result = await service.identify(col, extraction(axis(0, 0.2), axis(5)), { topK: 5 });
    expect(result.faces[0]!.match?.subject_id).toBe('alice');
    expect(result.faces[1]!.match).toBeNull();
    expect((await service.create('t', { name: 'far', targetFar: '1e-3' })).threshold).toBe(0.6);
  });

  it('ignores a vector whose catalog row was never written, and the retry completes it', async () => {
    const col = await service.create('t', { name: 'staff' });
    // What a crash between the vector write and the catalog write leaves behind.
    const orphan = faceIdFor(col.id, 'carol', 'sha-carol');
    await index.upsert(col.id, [{ id: orphan, vector: Float32Array.from(axis(3)), payload: { subject_id: 'carol', face_id: orphan } }]);
    expect((await service.identify(col, extraction(axis(3)), { topK: 5 })).faces[0]!.candidates).toEqual([]);

    const retried = await enroll(col, 'carol', axis(3), 'sha-carol');
    expect(retried).toMatchObject({ created: true, face: { id: orphan } });
    expect((await service.identify(col, extraction(axis(3)), { topK: 5 })).faces[0]!.match?.subject_id).toBe('carol');
  });

  it('refuses the same face under another subject unless allowed, and is idempotent per image', async () => {
    const col = await service.create('t', { name: 'staff' });
    const first = await enroll(col, 'alice', axis(0));
    expect((await enroll(col, 'alice', axis(0))).created).toBe(false);
    await expect(enroll(col, 'mallory', axis(0, 0.1))).rejects.toMatchObject({ status: 409, code: 'subject_conflict' });
    expect((await enroll(col, 'mallory', axis(0, 0.1), 'm', true)).created).toBe(true);
    expect(first.face.id).toBe(faceIdFor(col.id, 'alice', 'alice'));
  });

  it('does not call it a conflict when the subject itself matches best, even if another subject clears the threshold', async () => {
    const col = await service.create('t', { name: 'staff' });
    await enroll(col, 'alice', axis(0));
    // bob's face leans towards alice's axis: cosine 0.6 to alice (above the 0.5 threshold), 0.8 to bob's.
    await enroll(col, 'bob', [0.6, 0.8, 0, 0, 0, 0, 0, 0], 'bob-1', true);
    expect((await enroll(col, 'bob', [0.55, 0.835, 0, 0, 0, 0, 0, 0], 'bob-2')).created).toBe(true);
    // A new subject whose best match is someone else is still refused.
    await expect(enroll(col, 'carol', [0.58, 0.81, 0, 0, 0, 0, 0, 0], 'carol-1')).rejects.toMatchObject({ code: 'subject_conflict', details: { subject_id: 'bob' } });
  });

  it('refuses several faces unless asked, and faces failing the quality gate', async () => {
    const col = await service.create('t', { name: 'staff' });
    const two = extraction(axis(0), axis(4));
    await expect(service.enroll(col, two, { subjectId: 'a', imageSha256: 's', allowMultiple: false, allowConflict: false })).rejects.toMatchObject({
      status: 422,
      code: 'multiple_faces',
    });
    expect((await service.enroll(col, two, { subjectId: 'a', imageSha256: 's', allowMultiple: true, allowConflict: false })).created).toBe(true);
    const blurry = extraction(axis(6));
    blurry.faces[0]!.quality = { passed: false, reasons: ['blurry'], metrics: {} };
    await expect(service.enroll(col, blurry, { subjectId: 'b', imageSha256: 'b', allowMultiple: false, allowConflict: false })).rejects.toMatchObject({
      status: 422,
      code: 'low_quality',
      details: { reasons: ['blurry'] },
    });
  });

  it('keeps everything across a reopen; deleted subjects stay gone', async () => {
    const col = await service.create('t', { name: 'staff' });
    await enroll(col, 'alice', axis(0));
    await enroll(col, 'bob', axis(2));
    await service.deleteSubject(col, 'bob');
    await service.close();
    await open();
    const again = await service.require('t', 'staff');
    expect(await service.counts(again)).toEqual({ subject_count: 1, face_count: 1 });
    const result = await service.identify(again, extraction(axis(0), axis(2)), { topK: 5 });
    expect(result.faces[0]!.match?.subject_id).toBe('alice');
    expect(result.faces[1]!.candidates.map((c) => c.subject_id)).not.toContain('bob');
    await expect(service.require('other-tenant', 'staff')).rejects.toThrow(/does not exist/);
  });
});
