import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitScoreTail, openSetThreshold, type OpenSetCalibration } from '@facerec/calibration';
import type { Extraction } from '@facerec/face';
import { createVectorIndex, type VectorIndex } from '@facerec/vector-index';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CollectionService } from './collection-service.ts';
import { faceIdFor } from './ids.ts';
import { SqliteCatalog } from './sqlite-catalog.ts';

const DIM = 16;

/** A unit vector along one axis (plus a little of the next), so who matches whom is obvious. */
function axis(i: number, lean = 0): number[] {
  const v = new Array<number>(DIM).fill(0);
  v[i % DIM] = 1;
  v[(i + 1) % DIM] = lean;
  return v;
}

/** Impostor-like scores (normal, mean 0, sd 0.1) from a fixed-seed generator: a stand-in calibration. */
function calibration(centroidPriorFaces: number): OpenSetCalibration {
  let s = 7;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const scores = new Float64Array(200_000).map(() => 0.1 * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
  return {
    dataset: 'synthetic',
    identities: 1,
    images: 1,
    impostor_pairs: scores.length,
    centroid_prior_faces: centroidPriorFaces,
    tail: fitScoreTail(scores),
    template_weight: 0.5,
    ambiguity_likelihood_ratio: 10,
    uncertainty: [],
    measured_at: '2026-11-30',
    pipeline: 'none',
  };
}

function extraction(...features: number[][]): Extraction {
  return {
    model: { detector: 'd', embedder: 'e', dimension: DIM },
    width: 100,
    height: 100,
    face_count: features.length,
    detections: features.map((_, index) => ({ index, box: { x: 0, y: 0, width: 50, height: 50 }, score: 0.9 })),
    primary_dominant: features.length === 1,
    faces: features.map((feature, index) => ({
      index,
      box: { x: 0, y: 0, width: 50, height: 50 },
      score: 0.9,
      landmarks: [],
      quality: { passed: true, reasons: features.length > 1 && index === 0 ? ['multiple_faces'] : [], metrics: {} },
      feature,
    })),
    timings_ms: {},
  };
}

describe('CollectionService over SQLite + the embedded vector index', () => {
  let dir: string;
  let index: VectorIndex;
  let service: CollectionService;
  // A huge prior keeps the centroid at zero: raw cosines, so the geometry of the tests below is exact.
  let cal = calibration(1e12);

  const open = async () => {
    index = await createVectorIndex({ dataDir: dir });
    service = new CollectionService({ catalog: new SqliteCatalog(join(dir, 'catalog.sqlite')), index, embedder: { id: 'e', dimension: DIM }, calibration: cal });
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'collections-test-'));
    cal = calibration(1e12);
    await open();
  });
  afterEach(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const enroll = (col: Parameters<CollectionService['enroll']>[0], subjectId: string, feature: number[], sha = subjectId, allowConflict = false) =>
    service.enroll(col, extraction(feature), { subjectId, imageSha256: sha, allowMultiple: false, allowConflict, chosen: false });

  it('identifies by subject, and answers unknown for a face nobody enrolled matches', async () => {
    const col = await service.create('t', { name: 'staff', threshold: 0.5 });
    await enroll(col, 'alice', axis(0));
    await enroll(col, 'bob', axis(2));
    const result = await service.identify(col, extraction(axis(0, 0.2), axis(5)), { topK: 5 });
    expect(result.faces[0]).toMatchObject({ decision: 'match', match: { subject_id: 'alice' }, top: { subject_id: 'alice' } });
    expect(result.faces[1]).toMatchObject({ decision: 'unknown', match: null });
    expect(result.faces[0]!.top!.margin).toBeGreaterThan(0.9);
  });

  it('follows the gallery: the default threshold keeps the FPIR target as subjects are added', async () => {
    const col = await service.create('t', { name: 'growing' });
    const thresholds: number[] = [];
    for (let i = 0; i < DIM; i++) {
      await enroll(col, `s${i}`, axis(i));
      const rule = await service.decision(col);
      expect(rule).toMatchObject({ source: 'target_fpir', targetFpir: 0.01, subjects: i + 1, faces: i + 1 });
      expect(rule.threshold).toBeCloseTo(openSetThreshold(cal, 0.01, i + 1).threshold, 9);
      thresholds.push(rule.threshold);
    }
    expect(thresholds.every((t, i) => i === 0 || t > thresholds[i - 1]!)).toBe(true);
    // A stricter target for one request raises its threshold.
    const strict = await service.identify(col, extraction(axis(3)), { topK: 1, targetFpir: 0.001 });
    expect(strict.rule.threshold).toBeGreaterThan(thresholds.at(-1)!);
  });

  it('says ambiguous when two subjects clear the threshold within the calibrated margin', async () => {
    const col = await service.create('t', { name: 'twins', threshold: 0.5 });
    await enroll(col, 'ann', [0.8, 0.6, ...new Array<number>(DIM - 2).fill(0)]);
    await enroll(col, 'eve', [0.6, 0.8, ...new Array<number>(DIM - 2).fill(0)], 'eve', true);
    const between = await service.identify(col, extraction([1, 1, ...new Array<number>(DIM - 2).fill(0)]), { topK: 5 });
    expect(between.faces[0]).toMatchObject({ decision: 'ambiguous', match: null });
    expect(between.faces[0]!.top!.margin).toBeLessThan(between.rule.margin);
    const nearAnn = await service.identify(col, extraction([0.95, 0.3, ...new Array<number>(DIM - 2).fill(0)]), { topK: 5 });
    expect(nearAnn.faces[0]).toMatchObject({ decision: 'match', match: { subject_id: 'ann' } });
  });

  it('scores a subject with several faces by their template', async () => {
    const col = await service.create('t', { name: 'tmpl', threshold: 0.5 });
    const v = (...xs: number[]) => [...xs, ...new Array<number>(DIM - xs.length).fill(0)];
    await enroll(col, 'alice', v(1, 0, 0.5), 'a1');
    await enroll(col, 'alice', v(0, 1, -0.5), 'a2');
    // Halfway between alice's two photos: each alone scores 0.63, their template (e0 + e1 direction) scores 1.
    const r = await service.identify(col, extraction([Math.SQRT1_2, Math.SQRT1_2, ...new Array<number>(DIM - 2).fill(0)]), { topK: 1 });
    expect(r.faces[0]!.top!.similarity).toBeCloseTo(1, 5);
    expect(r.rule).toMatchObject({ subjects: 1, faces: 2 });
    const verified = await service.verify(col, 'alice', extraction(v(Math.SQRT1_2, Math.SQRT1_2)));
    expect(verified).toMatchObject({ is_same_person: true, similarity: 1 });
  });

  it('centres on the collection mean: what every photo of a source shares stops looking like a match', async () => {
    cal = calibration(5);
    await service.close();
    await open();
    const col = await service.create('t', { name: 'one-source', threshold: 0.4 });
    // Every photo carries the same strong component (axis 15): raw cosines between different people are 0.5.
    const shared = (i: number) => [...axis(i).slice(0, DIM - 1).map((x) => x * Math.SQRT1_2), Math.SQRT1_2];
    for (let i = 0; i < 12; i++) await enroll(col, `p${i}`, shared(i));
    const stranger = await service.identify(col, extraction(shared(13)), { topK: 3 });
    expect(stranger.faces[0]).toMatchObject({ decision: 'unknown' });
    expect(stranger.faces[0]!.top!.similarity).toBeLessThan(0.2);
    const known = await service.identify(col, extraction(shared(4)), { topK: 3 });
    expect(known.faces[0]).toMatchObject({ decision: 'match', match: { subject_id: 'p4' } });
  });

  it('ignores a vector whose catalog row was never written, and the retry completes it', async () => {
    const col = await service.create('t', { name: 'staff', threshold: 0.5 });
    // What a crash between the vector write and the catalog write leaves behind.
    const orphan = faceIdFor(col.id, 'carol', 'sha-carol');
    await index.upsert(col.id, [{ id: orphan, vector: Float32Array.from(axis(3)), payload: { subject_id: 'carol', face_id: orphan } }]);
    expect((await service.identify(col, extraction(axis(3)), { topK: 5 })).faces[0]!.candidates).toEqual([]);

    const retried = await enroll(col, 'carol', axis(3), 'sha-carol');
    expect(retried).toMatchObject({ created: true, face: { id: orphan } });
    expect((await service.identify(col, extraction(axis(3)), { topK: 5 })).faces[0]!.match?.subject_id).toBe('carol');
  });

  it('refuses the same face under another subject unless allowed, and is idempotent per image', async () => {
    const col = await service.create('t', { name: 'staff', threshold: 0.5 });
    const first = await enroll(col, 'alice', axis(0));
    expect((await enroll(col, 'alice', axis(0))).created).toBe(false);
    await expect(enroll(col, 'mallory', axis(0, 0.1))).rejects.toMatchObject({ status: 409, code: 'subject_conflict' });
    expect((await enroll(col, 'mallory', axis(0, 0.1), 'm', true)).created).toBe(true);
    expect(first.face.id).toBe(faceIdFor(col.id, 'alice', 'alice'));
  });

  it('does not call it a conflict when the subject itself matches best, even if another subject clears the threshold', async () => {
    const col = await service.create('t', { name: 'staff', threshold: 0.5 });
    const v = (a: number, b: number) => [a, b, ...new Array<number>(DIM - 2).fill(0)];
    await enroll(col, 'alice', v(1, 0));
    // bob's face leans towards alice's axis: cosine 0.6 to alice (above the 0.5 threshold), 0.8 to bob's.
    await enroll(col, 'bob', v(0.6, 0.8), 'bob-1', true);
    expect((await enroll(col, 'bob', v(0.55, 0.835), 'bob-2')).created).toBe(true);
    // A new subject whose best match is someone else is still refused.
    await expect(enroll(col, 'carol', v(0.58, 0.81), 'carol-1')).rejects.toMatchObject({ code: 'subject_conflict', details: { subject_id: 'bob' } });
  });

  it('enrolls the dominant face of a photo with bystanders; refuses a group unless a face is chosen', async () => {
    const col = await service.create('t', { name: 'staff', threshold: 0.5 });
    const two = extraction(axis(0), axis(4));
    const req = { subjectId: 'a', imageSha256: 's', allowMultiple: false, allowConflict: false, chosen: false };
    await expect(service.enroll(col, two, req)).rejects.toMatchObject({ status: 422, code: 'multiple_faces', details: { face_count: 2, faces: two.detections } });
    expect(await service.enroll(col, { ...two, primary_dominant: true }, req)).toMatchObject({ created: true, faceIndex: 0, faceCount: 2 });
    // The client's choice: the pipeline embedded only face 1, which is enrolled under its own id.
    const chosen: Extraction = { ...two, faces: [two.faces[1]!] };
    const second = await service.enroll(col, chosen, { ...req, subjectId: 'b', chosen: true });
    expect(second).toMatchObject({ created: true, faceIndex: 1 });
    expect(second.face.id).toBe(faceIdFor(col.id, 'b', 's#1'));
    const blurry = extraction(axis(6));
    blurry.faces[0]!.quality = { passed: false, reasons: ['blurry'], metrics: {} };
    await expect(service.enroll(col, blurry, { ...req, subjectId: 'c', imageSha256: 'c' })).rejects.toMatchObject({ status: 422, code: 'low_quality', details: { reasons: ['blurry'] } });
  });

  it('keeps everything across a reopen; deleted subjects stay gone, and leave the centroid', async () => {
    const col = await service.create('t', { name: 'staff', threshold: 0.5 });
    await enroll(col, 'alice', axis(0));
    await enroll(col, 'bob', axis(2));
    await service.deleteSubject(col, 'bob');
    await service.close();
    await open();
    const again = await service.require('t', 'staff');
    expect(await service.decision(again)).toMatchObject({ subjects: 1, faces: 1 });
    const result = await service.identify(again, extraction(axis(0), axis(2)), { topK: 5 });
    expect(result.faces[0]!.match?.subject_id).toBe('alice');
    expect(result.faces[1]!.candidates.map((c) => c.subject_id)).not.toContain('bob');
    await expect(service.require('other-tenant', 'staff')).rejects.toThrow(/does not exist/);
  });
});
