import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosineSimilarity as cosine } from './cosine.ts';
import { createFacePipeline, detectBatching, type FacePipeline, type ImageAnalysis } from './face-pipeline.ts';
import { DEFAULT_OPTIONS, MODELS_DIR, readFace, testManifest } from './test-fixtures.ts';

const PHOTOS = [
  'faceapijs_bbt_group/bbt1.jpg',
  'krasserm_lfw10/Tony_Blair/1.jpg',
  'facescrub/Aaron_Eckhart/4.jpg',
  'faceapijs_bbt_group/bbt2.jpg',
  'krasserm_lfw10/Colin_Powell/1.jpg',
  'deepface_tests/id01/1.jpg',
];

describe('detector batching across concurrent analyze calls (real models, forced on the CPU)', () => {
  let batched: FacePipeline;
  let plain: FacePipeline;
  let images: Buffer[];
  beforeAll(async () => {
    const args = { ...DEFAULT_OPTIONS, flipTta: false, manifest: await testManifest(), modelsDir: MODELS_DIR };
    // A wait no test outlives: a call left waiting for company it cannot get fails by timing out, rather than
    // passing slowly.
    [batched, plain] = await Promise.all([
      createFacePipeline({ ...args, detectBatch: 'on', detectBatchMax: 8, detectBatchWaitMs: 600_000 }),
      createFacePipeline({ ...args, detectBatch: 'auto' }),
    ]);
    images = await Promise.all(PHOTOS.map(readFace));
  });
  afterAll(() => Promise.all([batched?.close(), plain?.close()]));

  it('gives concurrent calls exactly what the same calls get one at a time, from fewer detector runs', async () => {
    const sequential: ImageAnalysis[] = [];
    for (const img of images) sequential.push(await batched.analyze(img, { faces: 'all' }));
    const before = (await batched.stats()).detect;
    // One call at a time never waits for company, and each pass is its own run.
    expect(before.largestBatch).toBe(1);
    expect(before.runs).toBe(before.images);

    const concurrent = await Promise.all(images.map((img) => batched.analyze(img, { faces: 'all' })));
    concurrent.forEach((a, k) => {
      const b = sequential[k]!;
      expect(a.faceCount, PHOTOS[k]).toBe(b.faceCount);
      expect(a.faces.map((f) => [f.box, f.landmarks]), PHOTOS[k]).toEqual(b.faces.map((f) => [f.box, f.landmarks]));
      // ORT's CPU kernels compute each batch row on its own: batching must not move a single bit.
      a.faces.forEach((f, i) => expect(Array.from(f.embedding), `${PHOTOS[k]} face ${i}`).toEqual(Array.from(b.faces[i]!.embedding)));
    });
    const after = (await batched.stats()).detect;
    expect(after.largestBatch).toBeGreaterThan(1);
    // First passes of several photos shared runs, and so did the refinements of a group photo's faces.
    expect(after.runs - before.runs).toBeLessThan(after.images - before.images);
    expect(after.images - before.images).toBe(before.images);
  });

  it('letterboxing to one canvas finds the faces the image-sized canvas finds, with the same identity', async () => {
    const got = await Promise.all(images.map((img) => batched.analyze(img, { faces: 'all' })));
    const want = await Promise.all(images.map((img) => plain.analyze(img, { faces: 'all' })));
    got.forEach((a, k) => {
      const b = want[k]!;
      expect(a.faceCount, PHOTOS[k]).toBe(b.faceCount);
      a.faces.forEach((f, i) => {
        const g = b.faces[i]!;
        // Only the grey border grows: boxes move by a pixel or so, and the embedding stays the same person's.
        expect(Math.abs(f.box.x - g.box.x) + Math.abs(f.box.y - g.box.y), `${PHOTOS[k]} face ${i}`).toBeLessThan(4);
        expect(cosine(f.embedding, g.embedding), `${PHOTOS[k]} face ${i}`).toBeGreaterThan(0.98);
      });
    });
    // auto on the CPU: no batching, so no letterbox either.
    expect((await plain.stats()).detect.runs).toBe(0);
  });

  it('a call that fails before or inside detection never holds the others back', async () => {
    const broken = Buffer.from(images[1]!.subarray(0, 200));
    const blank = Buffer.alloc(64, 0);
    const settled = await Promise.allSettled([images[0]!, broken, images[2]!, blank, images[4]!].map((img) => batched.analyze(img)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    for (const s of settled) if (s.status === 'fulfilled') expect(s.value.faces).toHaveLength(1);
  });
});

describe('DETECT_BATCH', () => {
  it('auto batches where the models run on a GPU provider, not on the CPU; on and off force it', () => {
    expect(detectBatching('auto', ['webgpu', 'cpu'])).toBe(true);
    expect(detectBatching('auto', ['cuda', 'cpu'])).toBe(true);
    expect(detectBatching('auto', ['cpu'])).toBe(false);
    expect(detectBatching(undefined, ['cpu'])).toBe(false);
    expect(detectBatching('on', ['cpu'])).toBe(true);
    expect(detectBatching('off', ['webgpu', 'cpu'])).toBe(false);
  });
});
