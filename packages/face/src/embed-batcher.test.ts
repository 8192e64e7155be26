import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacePipeline, type FacePipeline, type ImageAnalysis } from './face-pipeline.ts';
import { DEFAULT_OPTIONS, MODELS_DIR, readFace, testManifest } from './test-fixtures.ts';

const PHOTOS = [
  'faceapijs_bbt_group/bbt1.jpg',
  'faceapijs_bbt_group/bbt2.jpg',
  'krasserm_lfw10/Tony_Blair/1.jpg',
  'krasserm_lfw10/Colin_Powell/1.jpg',
  'facescrub/Aaron_Eckhart/4.jpg',
  'faceapijs_bbt_group/bbt3.jpg',
];

describe('embed micro-batching across concurrent analyze calls (real models)', () => {
  let batched: FacePipeline;
  let single: FacePipeline;
  let images: Buffer[];
  beforeAll(async () => {
    // Flip TTA off by default here: the counts below are of crops, and the second test mixes both on purpose.
    const args = { ...DEFAULT_OPTIONS, flipTta: false, embedder: 'arcface-mobilenet-128', manifest: await testManifest(), modelsDir: MODELS_DIR };
    // A generous wait: on a loaded test machine the calls must still meet, and the flush-when-all-are-waiting
    // rule means no call here actually waits for the timer.
    [batched, single] = await Promise.all([
      createFacePipeline({ ...args, embedBatchMax: 64, embedBatchWaitMs: 1000 }),
      createFacePipeline({ ...args, embedBatchMax: 1 }),
    ]);
    images = await Promise.all(PHOTOS.map(readFace));
  });
  afterAll(() => Promise.all([batched?.close(), single?.close()]));

  const expectSame = (got: ImageAnalysis[], want: ImageAnalysis[]) => {
    got.forEach((a, k) => {
      const b = want[k]!;
      expect(a.faceCount, PHOTOS[k]).toBe(b.faceCount);
      expect(a.faces.map((f) => f.box), PHOTOS[k]).toEqual(b.faces.map((f) => f.box));
      a.faces.forEach((f, i) => {
        // ORT's CPU kernels compute each batch row on its own, so batching must not move a single bit.
        expect(Array.from(f.embedding), `${PHOTOS[k]} face ${i}`).toEqual(Array.from(b.faces[i]!.embedding));
        expect(f.quality).toEqual(b.faces[i]!.quality);
      });
    });
  };

  it('gives concurrent calls the vectors of sequential ones, from fewer embedder runs', async () => {
    const sequential: ImageAnalysis[] = [];
    for (const img of images) sequential.push(await batched.analyze(img, { faces: 'all' }));
    const before = await batched.stats();
    expect(before.embed.largestBatch).toBe(1); // one call at a time never waits for company
    expect(before.embed.runs).toBe(PHOTOS.length);

    const concurrent = await Promise.all(images.map((img) => batched.analyze(img, { faces: 'all' })));
    expectSame(concurrent, sequential);
    const after = await batched.stats();
    expect(after.embed.largestBatch).toBeGreaterThan(1);
    expect(after.embed.runs - before.embed.runs).toBeLessThan(PHOTOS.length);
    expect(after.embed.faces - before.embed.faces).toBe(concurrent.reduce((n, a) => n + a.faces.length, 0));
  });

  it('batches flip-TTA and plain calls together, and EMBED_BATCH_MAX=1 embeds each call on its own', async () => {
    const opts = images.map((_, k) => ({ faces: 'all' as const, flipTta: k % 2 === 0 }));
    const want = await Promise.all(images.map((img, k) => single.analyze(img, opts[k])));
    const got = await Promise.all(images.map((img, k) => batched.analyze(img, opts[k])));
    expectSame(got, want);
    const s = await single.stats();
    expect(s.embed.largestBatch).toBe(1);
    expect(s.embed.runs).toBe(PHOTOS.length);
  });

  it('never batches a fixed-batch-1 export (mobilefacenet): waiting could not help', async () => {
    const p = await createFacePipeline({ ...DEFAULT_OPTIONS, flipTta: false, embedder: 'mobilefacenet', embedBatchMax: 16, embedBatchWaitMs: 1000, manifest: await testManifest(), modelsDir: MODELS_DIR });
    try {
      await Promise.all(images.slice(2, 5).map((img) => p.analyze(img)));
      expect((await p.stats()).embed).toMatchObject({ runs: 3, largestBatch: 1 });
    } finally {
      await p.close();
    }
  });
});
