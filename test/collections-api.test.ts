/**
 * Collections, enrollment and 1:N identification end to end: the real service process, real photos through
 * the real models, the real catalog and vector index on disk, real HTTP, in both queue modes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisTestPrefix, type RedisTestPrefix } from '@facerec/queue/testing';
import { answer, apiClient, imageFile, type Json } from './support/api-client.ts';
import { type ChildService, startChildService } from './support/child-service.ts';
import { facesRoot, identities, photos } from './support/shared-faces.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SET = 'krasserm_lfw10';

/** Five enrolled people (photo 1 each, single face passing the quality gate), and two never enrolled. */
const people = identities(SET);
const enrolled = people.slice(0, 5);
const strangers = people.slice(6, 8);
const photo = (identity: string, n: number) => photos(SET, identity).find((p) => p.endsWith(`/${n}.jpg`))!;


const modes = [
  { mode: 'embedded', redis: false },
  { mode: 'redis queue', redis: true },
] as const;

describe.each(modes)('collections API, $mode', ({ redis }) => {
  let ns: RedisTestPrefix | undefined;
  let svc: ChildService;
  let dataDir: string;
  let env: Record<string, string>;
  const api = apiClient(() => svc.url);
  const faceIds = new Map<string, string>();

  beforeAll(async () => {
    ns = redis ? await createRedisTestPrefix(REDIS_URL) : undefined;
    dataDir = mkdtempSync(join(tmpdir(), 'facerec-collections-'));
    env = { DATA_DIR: dataDir, ...(ns ? { REDIS_URL, QUEUE_PREFIX: ns.prefix } : {}) };
    svc = await startChildService(env);
  });
  afterAll(async () => {
    await svc?.stop();
    await ns?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a collection pinned to the service embedder; the same name again is 409', async () => {
    const created = await answer(api().http.POST('/v1/collections', { body: { name: 'staff' } }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ success: true, name: 'staff', embedder: 'mobilefacenet', dimension: 128, target_fpir: 0.01, target_far: null });
    expect(created.body.decision).toMatchObject({ source: 'target_fpir', target_fpir: 0.01, gallery: { subjects: 0, faces: 0 } });
    expect(created.body.threshold).toBe(created.body.decision.threshold);

    const again = await answer(api().http.POST('/v1/collections', { body: { name: 'staff' } }));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('collection_exists');

    const strict = await answer(api().http.POST('/v1/collections', { body: { name: 'strict', target_fpir: 0.001, target_far: '1e-4' } }));
    expect(strict.status).toBe(201);
    expect(strict.body).toMatchObject({ target_fpir: 0.001, target_far: '1e-4', decision: { source: 'target_fpir', verify_far: '1e-4' } });
    expect(strict.body.threshold).toBeGreaterThan(created.body.threshold);
    expect(strict.body.decision.verify_threshold).toBeGreaterThan(created.body.decision.verify_threshold);
    const fixed = await answer(api().http.POST('/v1/collections', { body: { name: 'fixed', threshold: 0.5 } }));
    expect(fixed.body).toMatchObject({ threshold: 0.5, target_fpir: null, decision: { source: 'threshold', verify_threshold: 0.5 } });
    expect((await answer(api().http.DELETE('/v1/collections/{name}', { params: { path: { name: 'fixed' } } }))).status).toBe(200);

    const listed = await answer(api().http.GET('/v1/collections'));
    expect(listed.body.collections.map((c: Json) => c.name)).toEqual(['staff', 'strict']);
    expect((await answer(api().http.DELETE('/v1/collections/{name}', { params: { path: { name: 'strict' } } }))).status).toBe(200);
    expect((await answer(api().http.GET('/v1/collections/{name}', { params: { path: { name: 'strict' } } }))).status).toBe(404);
  });

  it('refuses bad collection names, bad metadata and an unknown collection', async () => {
    const badName = await answer(api().http.POST('/v1/collections', { body: { name: 'Bad Name!' } }));
    expect(badName.status).toBe(400);
    expect(badName.body.code).toBe('invalid_request');
    expect(badName.body.message).toContain('name');
    // @ts-expect-error the typed client would not send this; the service must name the missing field
    const noName = await answer(api().http.POST('/v1/collections', { body: {} }));
    expect(noName.body.code).toBe('missing_field');
    expect((await answer(api().http.POST('/v1/collections', { body: { name: 'x', threshold: 0.5, target_far: '1e-3' } }))).status).toBe(400);
    const both = await answer(api().http.POST('/v1/collections', { body: { name: 'x', threshold: 0.5, target_fpir: 0.01 } }));
    expect(both.status).toBe(400);
    expect(both.body.message).toContain('target_fpir');
    expect((await answer(api().http.POST('/v1/collections', { body: { name: 'x', target_fpir: 0 } }))).status).toBe(400);
    expect((await answer(api().http.POST('/v1/collections', { body: { name: 'x', target_fpir: 0.9 } }))).status).toBe(400);
    const missing = await answer(api().http.GET('/v1/collections/{name}', { params: { path: { name: 'nope' } } }));
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('collection_not_found');
    expect((await answer(api().identify('nope', { image: imageFile(photo(enrolled[0]!, 2)) }))).status).toBe(404);
    const badMeta = await answer(api().enrollFace('staff', { image: imageFile(photo(enrolled[0]!, 1)), subject_id: 'a', metadata: '[1,2]' }));
    expect(badMeta.status).toBe(400);
    const longSubject = await answer(api().enrollFace('staff', { image: imageFile(photo(enrolled[0]!, 1)), subject_id: 'x'.repeat(129) }));
    expect(longSubject.status).toBe(400);
  });

  it('enrolls one photo of each of five people; the same image and subject again is the same face', async () => {
    for (const person of enrolled) {
      const res = await answer(api().enrollFace('staff', { image: imageFile(photo(person, 1)), subject_id: person, metadata: JSON.stringify({ name: person }) }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ success: true, subject_id: person, created: true, quality: { passed: true } });
      faceIds.set(person, res.body.face_id);
    }
    const retry = await answer(api().enrollFace('staff', { image: imageFile(photo(enrolled[0]!, 1)), subject_id: enrolled[0]! }));
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ face_id: faceIds.get(enrolled[0]!), created: false });

    const subject = await answer(api().http.GET('/v1/collections/{name}/subjects/{subject_id}', { params: { path: { name: 'staff', subject_id: enrolled[0]! } } }));
    expect(subject.status).toBe(200);
    expect(subject.body).toMatchObject({ subject_id: enrolled[0], metadata: { name: enrolled[0] }, face_count: 1 });
    expect(subject.body.faces.map((f: Json) => f.face_id)).toEqual([faceIds.get(enrolled[0]!)]);
    expect(subject.body.faces[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses to enroll a face that matches another subject unless on_conflict=allow', async () => {
    const clash = await answer(api().enrollFace('staff', { image: imageFile(photo(enrolled[1]!, 1)), subject_id: 'impostor' }));
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ code: 'subject_conflict', details: { subject_id: enrolled[1] } });
    expect((await answer(api().http.GET('/v1/collections/{name}/subjects/{subject_id}', { params: { path: { name: 'staff', subject_id: 'impostor' } } }))).status).toBe(404);

    const allowed = await answer(api().enrollFace('staff', { image: imageFile(photo(enrolled[1]!, 1)), subject_id: 'impostor', on_conflict: 'allow' }));
    expect(allowed.status).toBe(201);
    expect((await answer(api().http.DELETE('/v1/collections/{name}/subjects/{subject_id}', { params: { path: { name: 'staff', subject_id: 'impostor' } } }))).status).toBe(200);
  });

  it('identifies another photo of an enrolled person, and answers match:null for a stranger', async () => {
    const known = await answer(api().identify('staff', { image: imageFile(photo(enrolled[2]!, 2)), top_k: 3 }));
    expect(known.status).toBe(200);
    const face = known.body.faces[0];
    expect(face.match).toMatchObject({ subject_id: enrolled[2], face_id: faceIds.get(enrolled[2]!) });
    expect(face.candidates.length).toBeLessThanOrEqual(3);
    expect(face.candidates[0].subject_id).toBe(enrolled[2]);
    const sims = face.candidates.map((c: Json) => c.similarity);
    expect(sims).toEqual([...sims].sort((a, b) => b - a));
    expect(face.box.width).toBeGreaterThan(0);

    expect(face).toMatchObject({ decision: 'match', top: { subject_id: enrolled[2] } });
    expect(face.top.estimated_fpir).toBeLessThan(0.01);
    expect(known.body).toMatchObject({ target_fpir: 0.01, gallery_entries: 5 });

    for (const stranger of strangers) {
      const unknown = await answer(api().identify('staff', { image: imageFile(photo(stranger, 1)) }));
      expect(unknown.status).toBe(200);
      expect(unknown.body.faces[0]).toMatchObject({ decision: 'unknown', match: null });
      expect(unknown.body.faces[0].candidates.length).toBeGreaterThan(0);
      expect(unknown.body.faces[0].top.similarity).toBeLessThan(unknown.body.threshold);
    }

    const legacy = await answer(api().legacyIdentify({ image: imageFile(photo(enrolled[2]!, 2)), collection: 'staff' }));
    expect(legacy.status).toBe(200);
    expect(legacy.body).toMatchObject({ success: true, user_id: enrolled[2], decision: 'match', message: 'Match found' });
    expect(typeof legacy.body.similarity).toBe('number');
    const legacyUnknown = await answer(api().legacyIdentify({ image: imageFile(photo(strangers[0]!, 1)), collection: 'staff' }));
    expect(legacyUnknown.body).toMatchObject({ success: true, user_id: null, decision: 'unknown' });
    expect((await answer(api().legacyIdentify({ image: imageFile(photo(enrolled[2]!, 2)) }))).body.code).toBe('collection_not_found');
  });

  it('verifies against a subject: same person true, another subject false, unknown subject 404', async () => {
    const same = await answer(api().verify('staff', { image: imageFile(photo(enrolled[3]!, 2)), subject_id: enrolled[3]! }));
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ success: true, is_same_person: true, subject_id: enrolled[3] });
    const other = await answer(api().verify('staff', { image: imageFile(photo(enrolled[3]!, 2)), subject_id: enrolled[4]! }));
    expect(other.body).toMatchObject({ is_same_person: false });
    expect(other.body.similarity).toBeLessThan(same.body.similarity);
    const unknown = await answer(api().verify('staff', { image: imageFile(photo(enrolled[3]!, 2)), subject_id: 'nobody' }));
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('subject_not_found');
  });

  it('searches by raw vector; a wrong length is 400 dimension_mismatch', async () => {
    const feature = (await answer(api().extractFeature({ image: imageFile(photo(enrolled[0]!, 1)) }))).body;
    const hits = await answer(api().http.POST('/v1/collections/{name}/search', { params: { path: { name: 'staff' } }, body: { vector: feature.feature, top_k: 2 } }));
    expect(hits.status).toBe(200);
    expect(hits.body.hits).toHaveLength(2);
    expect(hits.body.hits[0]).toMatchObject({ subject_id: enrolled[0], face_id: faceIds.get(enrolled[0]!) });
    expect(hits.body.hits[0].similarity).toBeGreaterThan(0.99);

    const wrong = await answer(api().http.POST('/v1/collections/{name}/search', { params: { path: { name: 'staff' } }, body: { vector: [0.1, 0.2, 0.3], top_k: 2 } }));
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('dimension_mismatch');
    expect((await answer(api().http.POST('/v1/collections/{name}/search', { params: { path: { name: 'staff' } }, body: { vector: feature.feature, top_k: 101 } }))).status).toBe(400);
  });

  it('pages subjects with a cursor; a cursor it did not issue is 400', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: Json } = await answer(
        api().http.GET('/v1/collections/{name}/subjects', { params: { path: { name: 'staff' }, query: { limit: 2, ...(cursor ? { cursor } : {}) } } }),
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.subjects.map((s: Json) => s.subject_id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...enrolled].sort());
    const bad = await answer(api().http.GET('/v1/collections/{name}/subjects', { params: { path: { name: 'staff' }, query: { cursor: 'not-a-cursor' } } }));
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_cursor');
  });

  it('forgets a deleted subject and a deleted face', async () => {
    const gone = enrolled[2]!;
    expect((await answer(api().http.DELETE('/v1/collections/{name}/subjects/{subject_id}', { params: { path: { name: 'staff', subject_id: gone } } }))).status).toBe(200);
    expect((await answer(api().http.GET('/v1/collections/{name}/subjects/{subject_id}', { params: { path: { name: 'staff', subject_id: gone } } }))).status).toBe(404);
    const probe = await answer(api().identify('staff', { image: imageFile(photo(gone, 2)) }));
    expect(probe.status).toBe(200);
    expect(probe.body.faces[0].candidates.map((c: Json) => c.subject_id)).not.toContain(gone);
    expect(probe.body.faces[0].match).toBeNull();

    const extra = await answer(api().enrollFace('staff', { image: imageFile(photo(enrolled[4]!, 2)), subject_id: enrolled[4]! }));
    expect(extra.status).toBe(201);
    expect((await answer(api().http.DELETE('/v1/collections/{name}/faces/{face_id}', { params: { path: { name: 'staff', face_id: extra.body.face_id } } }))).status).toBe(200);
    expect((await answer(api().http.DELETE('/v1/collections/{name}/faces/{face_id}', { params: { path: { name: 'staff', face_id: extra.body.face_id } } }))).status).toBe(404);
    expect((await answer(api().http.GET('/v1/collections/{name}/subjects/{subject_id}', { params: { path: { name: 'staff', subject_id: enrolled[4]! } } }))).body.face_count).toBe(1);
  });

  it('keeps collections, subjects and faces across a restart on the same DATA_DIR', async () => {
    await svc.stop();
    svc = await startChildService(env);
    const col = await answer(api().http.GET('/v1/collections/{name}', { params: { path: { name: 'staff' } } }));
    expect(col.status).toBe(200);
    expect(col.body).toMatchObject({ name: 'staff', subject_count: 4, face_count: 4 });
    const subjects = await answer(api().http.GET('/v1/collections/{name}/subjects', { params: { path: { name: 'staff' } } }));
    expect(subjects.body.subjects.map((s: Json) => s.subject_id)).toEqual(enrolled.filter((p) => p !== enrolled[2]).sort());
    const known = await answer(api().identify('staff', { image: imageFile(photo(enrolled[3]!, 2)) }));
    expect(known.body.faces[0].match).toMatchObject({ subject_id: enrolled[3], face_id: faceIds.get(enrolled[3]!) });
    const retry = await answer(api().enrollFace('staff', { image: imageFile(photo(enrolled[0]!, 1)), subject_id: enrolled[0]! }));
    expect(retry.body).toMatchObject({ face_id: faceIds.get(enrolled[0]!), created: false });
  });

  it('enrolls the subject of a news photo with a bystander, and says which face it took', async () => {
    // LFW's Vladimir_Putin/1.jpg: Putin centred, a second face at the edge.
    const res = await answer(api().enrollFace('staff', { image: imageFile(photo('Vladimir_Putin', 1)), subject_id: 'putin' }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ face_index: 0, face_count: 2 });
    const later = await answer(api().identify('staff', { image: imageFile(photo('Vladimir_Putin', 2)) }));
    expect(later.body.faces[0]).toMatchObject({ decision: 'match', match: { subject_id: 'putin' } });
  });

  it('refuses a group photo where nobody dominates, listing every face, then enrolls the face the client picks', async () => {
    const group = join(facesRoot, 'faceapijs_bbt_group/bbt1.jpg');
    const refused = await answer(api().enrollFace('staff', { image: imageFile(group), subject_id: 'cast' }));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'multiple_faces', details: { face_count: 4 } });
    const faces = refused.body.details.faces as Json[];
    expect(faces.map((f) => f.index)).toEqual([0, 1, 2, 3]);
    expect((await answer(api().http.GET('/v1/collections/{name}/subjects/{subject_id}', { params: { path: { name: 'staff', subject_id: 'cast' } } }))).status).toBe(404);

    const byIndex = await answer(api().enrollFace('staff', { image: imageFile(group), subject_id: 'cast-2', face_index: 2 }));
    expect(byIndex.status, JSON.stringify(byIndex.body)).toBe(201);
    expect(byIndex.body).toMatchObject({ face_index: 2, face_count: 4 });
    expect(byIndex.body.box.x).toBeCloseTo(faces[2]!.box.x, 0);
    const byBox = await answer(api().enrollFace('staff', { image: imageFile(group), subject_id: 'cast-1', face_box: JSON.stringify(faces[1]!.box) }));
    expect(byBox.status, JSON.stringify(byBox.body)).toBe(201);
    expect(byBox.body.face_index).toBe(1);
    const none = await answer(api().enrollFace('staff', { image: imageFile(group), subject_id: 'cast-9', face_index: 9 }));
    expect(none.status).toBe(422);
    expect(none.body).toMatchObject({ code: 'face_not_found', details: { face_count: 4 } });
    expect((await answer(api().enrollFace('staff', { image: imageFile(group), subject_id: 'x', face_index: 1, face_box: '{"x":1,"y":1,"width":2,"height":2}' }))).status).toBe(400);
  });

  it('raises the threshold as the gallery grows (target FPIR), and a request may ask for its own target', async () => {
    const before = (await answer(api().http.GET('/v1/collections/{name}', { params: { path: { name: 'staff' } } }))).body;
    expect(before.decision).toMatchObject({ source: 'target_fpir', target_fpir: 0.01 });
    expect(before.decision.explanation).toContain('probability 0.01');
    for (const person of identities('facescrub').slice(0, 4)) {
      const res = await answer(api().enrollFace('staff', { image: imageFile(photos('facescrub', person)[0]!), subject_id: person }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const after = (await answer(api().http.GET('/v1/collections/{name}', { params: { path: { name: 'staff' } } }))).body;
    expect(after.decision.gallery.subjects).toBe(before.decision.gallery.subjects + 4);
    expect(after.threshold).toBeGreaterThan(before.threshold);
    const strict = await answer(api().identify('staff', { image: imageFile(photo(strangers[1]!, 2)), target_fpir: 0.001 }));
    expect(strict.body).toMatchObject({ target_fpir: 0.001 });
    expect(strict.body.threshold).toBeGreaterThan(after.threshold);
    expect(strict.body.faces[0].decision).toBe('unknown');
  });
});

describe('collections API with API keys', () => {
  let svc: ChildService;
  const anonymous = apiClient(() => svc.url);
  const alice = apiClient(() => svc.url, 'key-alice');
  const bob = apiClient(() => svc.url, 'key-bob');

  beforeAll(async () => {
    svc = await startChildService({ API_KEYS: 'key-alice, key-bob' });
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('needs a valid key on /v1 and /api', async () => {
    const none = await answer(anonymous().http.GET('/v1/collections'));
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('unauthorized');
    expect((await answer(apiClient(() => svc.url, 'key-mallory')().http.GET('/v1/collections'))).status).toBe(401);
    expect((await answer(anonymous().legacyIdentify({ image: imageFile(photo(enrolled[0]!, 1)) }))).status).toBe(401);
    expect((await fetch(`${svc.url}/health`)).status).toBe(200);
    const doc = (await (await fetch(`${svc.url}/openapi.json`)).json()) as Json;
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(svc.logs.some((l) => l.includes('API_KEYS is not set'))).toBe(false);
  });

  it('shows each key only its own collections; another key\'s is 404', async () => {
    expect((await answer(alice().http.POST('/v1/collections', { body: { name: 'private' } }))).status).toBe(201);
    expect((await answer(alice().http.GET('/v1/collections/{name}', { params: { path: { name: 'private' } } }))).status).toBe(200);
    const peek = await answer(bob().http.GET('/v1/collections/{name}', { params: { path: { name: 'private' } } }));
    expect(peek.status).toBe(404);
    expect(peek.body.code).toBe('collection_not_found');
    expect((await answer(bob().http.GET('/v1/collections'))).body.collections).toEqual([]);
    expect((await answer(bob().http.DELETE('/v1/collections/{name}', { params: { path: { name: 'private' } } }))).status).toBe(404);
    // Names are per key: Bob may own a collection of the same name.
    expect((await answer(bob().http.POST('/v1/collections', { body: { name: 'private' } }))).status).toBe(201);
  });
});

describe('without API keys', () => {
  it('warns at start that the API is open', async () => {
    const svc = await startChildService();
    try {
      expect(svc.logs.some((l) => l.includes('API_KEYS is not set'))).toBe(true);
      const doc = (await (await fetch(`${svc.url}/openapi.json`)).json()) as Json;
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/collections', '/v1/collections/{name}/identify', '/api/identify']));
    } finally {
      await svc.stop();
    }
  });
});
