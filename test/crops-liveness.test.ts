/**
 * Stored aligned crops and the passive liveness check end to end: the real service process, real photos
 * through the real models, real HTTP; crops in both queue modes (their store is the SQLite catalog in
 * DATA_DIR, or the Redis catalog), and a deleted face's crop looked for in the bytes of the store itself.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisTestPrefix, type RedisTestPrefix } from '@facerec/queue/testing';
import { answer, apiClient, imageFile, type Json } from './support/api-client.ts';
import { type ChildService, startChildService } from './support/child-service.ts';
import { facesRoot, photos } from './support/shared-faces.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SET = 'krasserm_lfw10';
const photo = (identity: string, n: number) => photos(SET, identity).find((p) => p.endsWith(`/${n}.jpg`))!;
const antispoof = (rel: string) => join(facesRoot, 'antispoof_samples', rel);

async function getBytes(url: string): Promise<{ status: number; type: string | null; bytes: Buffer; body: Json | null }> {
  const res = await fetch(url);
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type');
  return { status: res.status, type, bytes, body: type?.includes('json') ? (JSON.parse(bytes.toString()) as Json) : null };
}

/**
 * Every file under `dir` (catalog, WAL, vector index) holding any 128-byte piece of `needle`'s image data:
 * SQLite splits a large value across pages, so a stored crop is found piecewise, and a deleted one must
 * leave no piece. The first kilobyte (JPEG headers and tables, the same in every crop) is not looked for.
 */
function filesHolding(dir: string, needle: Buffer): string[] {
  const pieces: Buffer[] = [];
  for (let at = 1024; at + 128 <= needle.length; at += 512) pieces.push(needle.subarray(at, at + 128));
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => {
      if (!statSync(f).isFile()) return false;
      const bytes = readFileSync(f);
      return pieces.some((p) => bytes.includes(p));
    });
}

const modes = [
  { mode: 'embedded', redis: false },
  { mode: 'redis queue', redis: true },
] as const;

describe.each(modes)('stored crops, $mode', ({ redis }) => {
  let ns: RedisTestPrefix | undefined;
  let svc: ChildService;
  let dataDir: string;
  let client: Redis | undefined;
  const api = apiClient(() => svc.url);
  const ids = new Map<string, string>();

  beforeAll(async () => {
    ns = redis ? await createRedisTestPrefix(REDIS_URL) : undefined;
    client = redis ? new Redis(REDIS_URL) : undefined;
    dataDir = mkdtempSync(join(tmpdir(), 'facerec-crops-'));
    svc = await startChildService({ DATA_DIR: dataDir, ...(ns ? { REDIS_URL, QUEUE_PREFIX: ns.prefix } : {}) });
  });
  afterAll(async () => {
    await svc?.stop();
    await client?.quit();
    await ns?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Every crop the Redis catalog holds, by face id (redis mode). */
  async function redisCrops(): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    for (const key of await client!.keys(`${ns!.prefix}catalog:crops:*`)) {
      const h = await client!.hgetallBuffer(key);
      for (const [id, bytes] of Object.entries(h)) out.set(id, bytes);
    }
    return out;
  }

  it('keeps each enrolled face\'s aligned crop and serves it behind the collection\'s keys', async () => {
    const created = await answer(api().http.POST('/v1/collections', { body: { name: 'review' } }));
    expect(created.body).toMatchObject({ store_crops: true });
    for (const [subject, n] of [['George_W_Bush', 1], ['George_W_Bush', 2], ['Tony_Blair', 1]] as const) {
      const res = await answer(api().enrollFace('review', { image: imageFile(photo(subject, n)), subject_id: subject }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.liveness).toBeUndefined();
      ids.set(`${subject}/${n}`, res.body.face_id);
    }
    const face = ids.get('George_W_Bush/1')!;
    const crop = await getBytes(`${svc.url}/v1/collections/review/subjects/George_W_Bush/faces/${face}/crop`);
    expect(crop.status).toBe(200);
    expect(crop.type).toBe('image/jpeg');
    const meta = await sharp(crop.bytes).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([112, 112, 'jpeg']);
    expect(crop.bytes.length).toBeLessThan(15_000);

    // Another subject's path, an unknown face, an unknown collection: 404s that say which.
    expect((await getBytes(`${svc.url}/v1/collections/review/subjects/Tony_Blair/faces/${face}/crop`)).body).toMatchObject({ code: 'face_not_found' });
    expect((await getBytes(`${svc.url}/v1/collections/review/subjects/George_W_Bush/faces/nope/crop`)).status).toBe(404);
    expect((await getBytes(`${svc.url}/v1/collections/nope/subjects/George_W_Bush/faces/${face}/crop`)).body).toMatchObject({ code: 'collection_not_found' });
  });

  it('keeps no crop for a collection created with store_crops=false', async () => {
    const created = await answer(api().http.POST('/v1/collections', { body: { name: 'private', store_crops: false } }));
    expect(created.body).toMatchObject({ store_crops: false });
    const res = await answer(api().enrollFace('private', { image: imageFile(photo('Tony_Blair', 2)), subject_id: 'tony' }));
    expect(res.status).toBe(201);
    const crop = await getBytes(`${svc.url}/v1/collections/private/subjects/tony/faces/${res.body.face_id}/crop`);
    expect(crop.status).toBe(404);
    expect(crop.body).toMatchObject({ code: 'crop_not_found' });
    expect(crop.body!.message).toContain('store_crops=false');
    if (redis) expect((await redisCrops()).has(res.body.face_id)).toBe(false);
  });

  it('deletes the crop with its face, with its subject, and with the collection: gone from the store itself', async () => {
    const url = (subject: string, id: string) => `${svc.url}/v1/collections/review/subjects/${subject}/faces/${id}/crop`;
    const bush1 = ids.get('George_W_Bush/1')!;
    const bush2 = ids.get('George_W_Bush/2')!;
    const blair = ids.get('Tony_Blair/1')!;
    const bytes = {
      bush1: (await getBytes(url('George_W_Bush', bush1))).bytes,
      bush2: (await getBytes(url('George_W_Bush', bush2))).bytes,
      blair: (await getBytes(url('Tony_Blair', blair))).bytes,
    };
    const present = async (b: Buffer) => (redis ? [...(await redisCrops()).values()].some((c) => c.equals(b)) : filesHolding(dataDir, b).length > 0);
    // The search works: stored crops are found where they are kept.
    for (const b of Object.values(bytes)) expect(await present(b)).toBe(true);

    expect((await answer(api().http.DELETE('/v1/collections/{name}/faces/{face_id}', { params: { path: { name: 'review', face_id: bush1 } } }))).status).toBe(200);
    expect((await getBytes(url('George_W_Bush', bush1))).status).toBe(404);
    expect(await present(bytes.bush1)).toBe(false);
    expect(await present(bytes.bush2)).toBe(true);

    expect((await answer(api().http.DELETE('/v1/collections/{name}/subjects/{subject_id}', { params: { path: { name: 'review', subject_id: 'George_W_Bush' } } }))).status).toBe(200);
    expect((await getBytes(url('George_W_Bush', bush2))).status).toBe(404);
    expect(await present(bytes.bush2)).toBe(false);
    expect(await present(bytes.blair)).toBe(true);

    expect((await answer(api().http.DELETE('/v1/collections/{name}', { params: { path: { name: 'review' } } }))).status).toBe(200);
    expect(await present(bytes.blair)).toBe(false);
    if (redis) expect(await client!.keys(`${ns!.prefix}catalog:crops:*`)).toEqual([]);
  });

  it('reports liveness only when a request asks for it (LIVENESS=off), through the queue too', async () => {
    const plain = await answer(api().extractFeature({ image: imageFile(antispoof('live/1.jpg')) }));
    expect(plain.status).toBe(200);
    expect(plain.body.liveness).toBeUndefined();
    const asked = await answer(api().extractFeature({ image: imageFile(antispoof('print_attack/1.jpg')), liveness: true }));
    expect(asked.status).toBe(200);
    expect(asked.body.liveness).toMatchObject({ passed: false, model: 'minifasnet-v2' });
    expect(asked.body.liveness.score).toBeLessThan(0.05);
  });
});

describe('liveness enforced (LIVENESS=enforce)', () => {
  let svc: ChildService;
  const api = apiClient(() => svc.url);

  beforeAll(async () => {
    svc = await startChildService({ LIVENESS: 'enforce' });
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('enrolls a live face and refuses printed-photo attacks with 422 spoof_suspected, storing nothing', async () => {
    expect((await answer(api().http.POST('/v1/collections', { body: { name: 'door' } }))).status).toBe(201);
    const live = await answer(api().enrollFace('door', { image: imageFile(antispoof('live/1.jpg')), subject_id: 'visitor' }));
    expect(live.status, JSON.stringify(live.body)).toBe(201);
    expect(live.body.liveness).toMatchObject({ passed: true, model: 'minifasnet-v2' });
    expect(live.body.liveness.score).toBeGreaterThan(0.9);
    for (const attack of ['print_attack/1.jpg', 'print_attack/2.jpg']) {
      const res = await answer(api().enrollFace('door', { image: imageFile(antispoof(attack)), subject_id: 'intruder' }));
      expect(res.status, attack).toBe(422);
      expect(res.body).toMatchObject({ success: false, code: 'spoof_suspected', details: { liveness: { passed: false } } });
      // A client cannot opt out of an enforced check.
      const optOut = await answer(api().enrollFace('door', { image: imageFile(antispoof(attack)), subject_id: 'intruder', liveness: false }));
      expect(optOut.body.code).toBe('spoof_suspected');
    }
    expect((await answer(api().http.GET('/v1/collections/{name}/subjects/{subject_id}', { params: { path: { name: 'door', subject_id: 'intruder' } } }))).status).toBe(404);
    expect((await answer(api().http.GET('/v1/collections/{name}', { params: { path: { name: 'door' } } }))).body.face_count).toBe(1);
  });

  it('refuses verify on an attack; identify and extract report the check without refusing', async () => {
    const verify = await answer(api().verify('door', { image: imageFile(antispoof('print_attack/2.jpg')), subject_id: 'visitor' }));
    expect(verify.status).toBe(422);
    expect(verify.body.code).toBe('spoof_suspected');
    const ok = await answer(api().verify('door', { image: imageFile(antispoof('live/1.jpg')), subject_id: 'visitor' }));
    expect(ok.body).toMatchObject({ is_same_person: true, liveness: { passed: true } });
    const identify = await answer(api().identify('door', { image: imageFile(antispoof('print_attack/1.jpg')) }));
    expect(identify.status).toBe(200);
    expect(identify.body.faces[0].liveness).toMatchObject({ passed: false });
    const extract = await answer(api().extractFeature({ image: imageFile(antispoof('print_attack/1.jpg')) }));
    expect(extract.status).toBe(200);
    expect(extract.body.liveness).toMatchObject({ passed: false });
  });
});
