/**
 * The spec's three endpoints end to end: the real service as a child process (the same entry point as
 * `npm start`), real photos from ../shared/faces through the real models, real HTTP.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisTestPrefix, type RedisTestPrefix } from '@facerec/queue/testing';
import { type ChildService, startChildService } from './support/child-service.ts';
import { faceFreeJpeg, pngBomb } from './support/crafted-images.ts';
import { facesRoot, identities, photos, readPhoto } from './support/shared-faces.ts';

const MAX_BODY = 8 * 1024 * 1024;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let svc: ChildService;

function imageForm(bytes: Uint8Array, name = 'face.jpg', fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.append('image', new Blob([bytes]), name);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}

async function post(path: string, body: FormData | object | string, headers: Record<string, string> = {}) {
  const isForm = body instanceof FormData;
  const res = await fetch(`${svc.url}${path}`, {
    method: 'POST',
    body: isForm ? body : typeof body === 'string' ? body : JSON.stringify(body),
    headers: isForm ? headers : { 'content-type': 'application/json', ...headers },
  });
  return { status: res.status, body: (await res.json()) as Record<string, any>, headers: res.headers };
}

async function extract(path: string): Promise<number[]> {
  const { status, body } = await post('/api/extract_feature', imageForm(readPhoto(path), path));
  expect(status, `${path}: ${JSON.stringify(body)}`).toBe(200);
  return body.feature as number[];
}

function expectErrorShape(body: Record<string, any>, code: string) {
  expect(body).toMatchObject({ success: false, code });
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(5);
  expect(typeof body.processing_time).toBe('number');
}

/** Both modes must pass the same tests: in-process queue (no services), and BullMQ on the real Redis. */
const modes = [
  { mode: 'embedded', redis: false },
  { mode: 'redis queue', redis: true },
] as const;

describe.each(modes)('spec API, $mode', ({ redis }) => {
  let ns: RedisTestPrefix | undefined;
  beforeAll(async () => {
    ns = redis ? await createRedisTestPrefix(REDIS_URL) : undefined;
    svc = await startChildService({ MAX_BODY_BYTES: String(MAX_BODY), ...(ns ? { REDIS_URL, QUEUE_PREFIX: ns.prefix } : {}) });
  });
  afterAll(async () => {
    await svc?.stop();
    await ns?.cleanup();
  });

  describe('POST /api/extract_feature', () => {
    it('returns the spec fields for a real photo', async () => {
      const file = photos('krasserm_lfw10', identities('krasserm_lfw10')[0]!)[0]!;
      const { status, body } = await post('/api/extract_feature', imageForm(readPhoto(file)));
      expect(status).toBe(200);
      expect(body.success).toBe(true);
      expect(typeof body.message).toBe('string');
      expect(body.feature).toHaveLength(128);
      expect(body.feature_dim).toBe(128);
      expect(typeof body.quality_passed).toBe('boolean');
      expect(typeof body.processing_time).toBe('number');
      expect(body.face_count).toBe(1);
      const norm = Math.hypot(...(body.feature as number[]));
      expect(norm).toBeCloseTo(1, 3);
      expect(body.model).toEqual({ detector: 'yunet-n', embedder: 'mobilefacenet', dimension: 128 });
    });

    it('reports every face of a group photo', async () => {
      const first = readFileSync(join(facesRoot, 'faceapijs_bbt_group', 'bbt1.jpg'));
      const { status, body } = await post('/api/extract_feature', imageForm(first));
      expect(status).toBe(200);
      expect(body.face_count).toBeGreaterThan(2);
      expect(body.quality.reasons).toContain('multiple_faces');
    });

    it('reads WebP and PNG', async () => {
      for (const file of [join(facesRoot, 'deepface_tests/id03/3.webp'), photos('ageitgey_fr', 'alex_lacamoire').find((p) => p.endsWith('.png'))!]) {
        const { status, body } = await post('/api/extract_feature', imageForm(readPhoto(file)));
        expect(status, file).toBe(200);
        expect(body.feature).toHaveLength(128);
      }
    });
  });

  describe('matching decisions at the calibrated default threshold', () => {
    const set = 'krasserm_lfw10';
    const features = new Map<string, number[][]>();

    beforeAll(async () => {
      for (const id of identities(set)) features.set(id, await Promise.all(photos(set, id).slice(0, 4).map(extract)));
    });

    it('scores 20 same-person pairs at or above the threshold', async () => {
      let pairs = 0;
      for (const [id, feats] of features) {
        for (const [a, b] of [[0, 1], [2, 3]] as const) {
          const { status, body } = await post('/api/compare_features', { feature1: feats[a], feature2: feats[b] });
          expect(status).toBe(200);
          expect(Object.keys(body)).toEqual(expect.arrayContaining(['success', 'message', 'similarity', 'is_same_person', 'threshold']));
          expect(body.is_same_person, `${id} ${a}/${b}: ${body.similarity} < ${body.threshold}`).toBe(true);
          pairs++;
        }
      }
      expect(pairs).toBeGreaterThanOrEqual(20);
    });

    it('scores 20+ different-person pairs below the threshold', async () => {
      const ids = [...features.keys()];
      let pairs = 0;
      for (let i = 0; i < ids.length; i++) {
        for (const step of [1, 3, 5]) {
          const other = ids[(i + step) % ids.length]!;
          const { body } = await post('/api/compare_features', { feature1: features.get(ids[i]!)![0], feature2: features.get(other)![1] });
          expect(body.is_same_person, `${ids[i]} vs ${other}: ${body.similarity}`).toBe(false);
          pairs++;
        }
      }
      expect(pairs).toBeGreaterThanOrEqual(20);
    });

    it('compares an image with a stored feature (compare_image_feature)', async () => {
      const [id, other] = [...features.keys()];
      const probe = readPhoto(photos(set, id!)[5]!);
      const same = await post('/api/compare_image_feature', imageForm(probe, 'p.jpg', { feature: JSON.stringify(features.get(id!)![0]) }));
      expect(same.status).toBe(200);
      expect(same.body).toMatchObject({ success: true, is_same_person: true });
      expect(typeof same.body.processing_time).toBe('number');
      const diff = await post('/api/compare_image_feature', imageForm(probe, 'p.jpg', { feature: JSON.stringify(features.get(other!)![0]) }));
      expect(diff.body.is_same_person).toBe(false);
      expect(diff.body.similarity).toBeLessThan(same.body.similarity);
    });

    it('honours a per-request threshold and echoes it', async () => {
      const feats = [...features.values()][0]!;
      const { body } = await post('/api/compare_features', { feature1: feats[0], feature2: feats[1], threshold: 0.999 });
      expect(body.threshold).toBe(0.999);
      expect(body.is_same_person).toBe(false);
    });
  });

  describe('bad input gets a clear 4xx and the process survives', () => {
    const vec = (n: number, v = 0.1) => Array.from({ length: n }, () => v);

    it('a photo without a face → 400 no_face', async () => {
      const { status, body } = await post('/api/extract_feature', imageForm(await faceFreeJpeg()));
      expect(status).toBe(400);
      expectErrorShape(body, 'no_face');
    });

    it('a truncated JPEG → 400 invalid_image', async () => {
      const jpeg = readPhoto(photos('krasserm_lfw10', identities('krasserm_lfw10')[1]!)[0]!);
      const { status, body } = await post('/api/extract_feature', imageForm(jpeg.subarray(0, Math.floor(jpeg.length / 2))));
      expect(status).toBe(400);
      expectErrorShape(body, 'invalid_image');
    });

    it('a text file → 400 unsupported_format', async () => {
      const { status, body } = await post('/api/extract_feature', imageForm(Buffer.from('hello, I am not an image\n'), 'notes.txt'));
      expect(status).toBe(400);
      expectErrorShape(body, 'unsupported_format');
    });

    it('a PGM file → 400 unsupported_format naming the format', async () => {
      const { status, body } = await post('/api/extract_feature', imageForm(readFileSync(join(facesRoot, 'att_orl/s1/1.pgm')), '1.pgm'));
      expect(status).toBe(400);
      expectErrorShape(body, 'unsupported_format');
      expect(body.message).toMatch(/PGM|PNM|PPM/i);
    });

    it('a 30000×30000 PNG bomb → 400 image_too_large, refused before decoding', async () => {
      const { status, body } = await post('/api/extract_feature', imageForm(pngBomb(), 'bomb.png'));
      expect(status).toBe(400);
      expectErrorShape(body, 'image_too_large');
    });

    it('an oversize body → 413', async () => {
      const { status, body } = await post('/api/extract_feature', imageForm(Buffer.alloc(MAX_BODY + 1024, 1), 'big.jpg'));
      expect(status).toBe(413);
      expectErrorShape(body, 'payload_too_large');
    });

    it('a missing image field → 400 naming the field', async () => {
      const form = new FormData();
      form.append('other', 'x');
      const { status, body } = await post('/api/extract_feature', form);
      expect(status).toBe(400);
      expectErrorShape(body, 'missing_field');
      expect(body.message).toContain('image');
    });

    it('wrong-length vectors → 400 dimension_mismatch', async () => {
      const { status, body } = await post('/api/compare_features', { feature1: vec(128), feature2: vec(1024) });
      expect(status).toBe(400);
      expectErrorShape(body, 'dimension_mismatch');
      expect(body.message).toContain('feature2');
    });

    it('non-finite numbers → 400 (NaN is malformed JSON, 1e999 is Infinity)', async () => {
      const nan = await post('/api/compare_features', `{"feature1":[${vec(128).join(',')}],"feature2":[NaN${',0.1'.repeat(127)}]}`);
      expect(nan.status).toBe(400);
      expectErrorShape(nan.body, 'malformed_json');
      const inf = await post('/api/compare_features', `{"feature1":[${vec(128).join(',')}],"feature2":[1e999${',0.1'.repeat(127)}]}`);
      expect(inf.status).toBe(400);
      expectErrorShape(inf.body, 'invalid_vector');
      const form = await post('/api/compare_image_feature', imageForm(readPhoto(photos('krasserm_lfw10', identities('krasserm_lfw10')[0]!)[0]!), 'a.jpg', { feature: '[NaN]' }));
      expect(form.status).toBe(400);
      expectErrorShape(form.body, 'invalid_vector');
    });

    it('malformed JSON and a missing vector → 400', async () => {
      const bad = await post('/api/compare_features', '{"feature1": [0.1, ');
      expect(bad.status).toBe(400);
      expectErrorShape(bad.body, 'malformed_json');
      const missing = await post('/api/compare_features', { feature1: vec(128) });
      expect(missing.status).toBe(400);
      expectErrorShape(missing.body, 'missing_field');
    });

    it('is still alive and healthy after all of the above', async () => {
      expect(svc.child.exitCode).toBeNull();
      const res = await fetch(`${svc.url}/health`);
      expect(res.status).toBe(200);
    });
  });

  describe('health and docs', () => {
    it('serves the OpenAPI document generated from the validating schemas, and Swagger UI', async () => {
      const doc = (await (await fetch(`${svc.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/extract_feature', '/api/compare_features', '/api/compare_image_feature', '/health']));
      const docs = await fetch(`${svc.url}/docs`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain('swagger');
    });

    it('answers unknown routes in the error shape', async () => {
      const res = await fetch(`${svc.url}/api/nope`);
      expect(res.status).toBe(404);
      expectErrorShape((await res.json()) as Record<string, any>, 'not_found');
    });
  });
});
