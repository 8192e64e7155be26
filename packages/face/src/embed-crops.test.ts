import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosineSimilarity } from './cosine.ts';
import { decodeCrop, encodeCrop } from './crop-codec.ts';
import { createFacePipeline, type FacePipeline } from './face-pipeline.ts';
import { createThreadedFacePipeline } from './thread/threaded-pipeline.ts';
import { DEFAULT_OPTIONS, MODELS_DIR, readFace, testManifest } from './test-fixtures.ts';

describe('stored crops and re-embedding them (real models)', () => {
  let pipeline: FacePipeline;
  beforeAll(async () => {
    pipeline = await createFacePipeline({ ...DEFAULT_OPTIONS, manifest: await testManifest(), modelsDir: MODELS_DIR });
  });
  afterAll(() => pipeline.close());

  it('a stored crop re-embeds to the vector the photo gave (the codec loses nothing that matters)', async () => {
    for (const rel of ['krasserm_lfw10/Tony_Blair/1.jpg', 'facescrub/Aaron_Eckhart/1.jpg', 'faceapijs_bbt/amy/1.png']) {
      const a = await pipeline.analyze(await readFace(rel).catch(() => readFace('krasserm_lfw10/Vladimir_Putin/1.jpg')), { crops: true });
      const face = a.faces[0]!;
      expect(face.crop).toMatchObject({ width: 112, height: 112 });
      const stored = await encodeCrop(face.crop!);
      expect(stored.length).toBeLessThan(12_000);
      const { embedder, dimension, vectors } = await pipeline.embedCrops([await decodeCrop(stored)]);
      expect([embedder, dimension]).toEqual([pipeline.embedder.id, pipeline.dimension]);
      expect(cosineSimilarity(vectors[0]!, face.embedding), rel).toBeGreaterThan(0.998);
    }
  });

  it('embeds with another manifest embedder on request, loading it on first use, in threads too', async () => {
    const a = await pipeline.analyze(await readFace('krasserm_lfw10/Tony_Blair/1.jpg'), { crops: true, embedder: 'arcface-mobilenet-128' });
    expect([a.embedder, a.dimension]).toEqual(['arcface-mobilenet-128', 128]);
    const crop = a.faces[0]!.crop!;
    const direct = await pipeline.embedCrops([crop], { embedder: 'arcface-mobilenet-128' });
    expect(cosineSimilarity(direct.vectors[0]!, a.faces[0]!.embedding)).toBeCloseTo(1, 5);
    // Another model's vector of the same face is another space entirely.
    const own = await pipeline.embedCrops([crop]);
    expect(Math.abs(cosineSimilarity(own.vectors[0]!, direct.vectors[0]!))).toBeLessThan(0.5);

    const threaded = await createThreadedFacePipeline({ ...DEFAULT_OPTIONS, manifest: await testManifest(), modelsDir: MODELS_DIR });
    try {
      const t = await threaded.embedCrops([crop], { embedder: 'arcface-mobilenet-128' });
      expect(t.embedder).toBe('arcface-mobilenet-128');
      expect(Array.from(t.vectors[0]!)).toEqual(Array.from(direct.vectors[0]!));
    } finally {
      await threaded.close();
    }
  });

  it('refuses an unknown embedder and a crop of the wrong size', async () => {
    const crop = { data: new Uint8Array(112 * 112 * 3), width: 112, height: 112 };
    await expect(pipeline.embedCrops([crop], { embedder: 'nope' })).rejects.toMatchObject({ code: 'unknown_embedder', status: 400 });
    await expect(pipeline.embedCrops([{ data: new Uint8Array(50 * 50 * 3), width: 50, height: 50 }])).rejects.toMatchObject({ code: 'invalid_crop' });
    const big = await encodeCrop({ data: new Uint8Array(120 * 112 * 3), width: 120, height: 112 });
    await expect(decodeCrop(big)).rejects.toMatchObject({ code: 'invalid_crop' });
    await expect(decodeCrop(new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: 'invalid_crop' });
  });
});
