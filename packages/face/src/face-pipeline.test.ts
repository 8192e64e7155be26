import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidImageError } from '@facerec/errors';
import { cosineSimilarity } from './cosine.ts';
import { createFacePipeline, type FacePipeline } from './face-pipeline.ts';
import { DEFAULT_OPTIONS, MODELS_DIR, readFace, testManifest } from './test-fixtures.ts';

const norm = (v: Float32Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('face pipeline (real models, real photos)', () => {
  let pipeline: FacePipeline;
  beforeAll(async () => {
    pipeline = await createFacePipeline({ ...DEFAULT_OPTIONS, manifest: await testManifest(), modelsDir: MODELS_DIR });
  });
  afterAll(() => pipeline.close());

  it('finds one good, normalised face in a portrait with landmarks in ArcFace order', async () => {
    const a = await pipeline.analyze(await readFace('krasserm_lfw10/Tony_Blair/1.jpg'));
    expect([a.width, a.height, a.format]).toEqual([250, 250, 'jpeg']);
    expect(a.faces).toHaveLength(1);
    const f = a.faces[0]!;
    expect(f.embedding).toHaveLength(pipeline.dimension);
    expect(norm(f.embedding)).toBeCloseTo(1, 4);
    expect(f.score).toBeGreaterThan(0.8);
    // LFW centres the face: the box must contain the image centre.
    expect(f.box.x).toBeLessThan(125);
    expect(f.box.x + f.box.width).toBeGreaterThan(125);
    const [re, le, nose, rm, lm] = f.landmarks as [number, number][];
    expect(re![0]).toBeLessThan(le![0]!); // subject's right eye is on the image's left
    expect(nose![1]).toBeGreaterThan(re![1]!);
    expect(rm![1]).toBeGreaterThan(nose![1]!);
    expect(rm![0]).toBeLessThan(lm![0]!);
    expect(f.quality.passed).toBe(true);
    expect(Object.values(a.timings).every((t) => t >= 0)).toBe(true);
  });

  it('scores the same person above different people', async () => {
    const emb = async (p: string): Promise<Float32Array> => (await pipeline.analyze(await readFace(p))).faces[0]!.embedding;
    const [a1, a2, b1] = await Promise.all([
      emb('krasserm_lfw10/Tony_Blair/1.jpg'),
      emb('krasserm_lfw10/Tony_Blair/2.jpg'),
      emb('krasserm_lfw10/Vladimir_Putin/1.jpg'),
    ]);
    const same = cosineSimilarity(a1, a2);
    expect(same).toBeGreaterThan(0.4);
    expect(same).toBeGreaterThan(cosineSimilarity(a1, b1) + 0.2);
  });

  it('detects tight greyscale crops (border retry)', async () => {
    for (const id of ['amy', 'sheldon', 'raj']) {
      const a = await pipeline.analyze(await readFace(`faceapijs_bbt/${id}/1.png`));
      expect(a.faceCount, id).toBeGreaterThanOrEqual(1);
    }
  });

  it('embeds every face in a group photo only when asked, most prominent first with advisory multiple_faces', async () => {
    const bytes = await readFace('faceapijs_bbt_group/bbt1.jpg');
    const primary = await pipeline.analyze(bytes, { faces: 'primary' });
    const all = await pipeline.analyze(bytes, { faces: 'all' });
    expect(primary.faceCount).toBeGreaterThan(2);
    expect(primary.faces).toHaveLength(1);
    expect(primary.detections).toHaveLength(primary.faceCount);
    // Four people of much the same size across the frame: nobody dominates.
    expect(primary.dominant).toBe(false);
    expect(all.faces).toHaveLength(all.faceCount);
    expect(all.faces.map((f) => f.index)).toEqual(all.detections.map((_, i) => i));
    const p = all.faces[0]!;
    expect(p.quality.reasons).toContain('multiple_faces');
    expect(cosineSimilarity(primary.faces[0]!.embedding, p.embedding)).toBeCloseTo(1, 5);
    expect(all.faces.slice(1).some((f) => f.quality.reasons.includes('multiple_faces'))).toBe(false);
    // Advisory only: it does not decide `passed` on its own.
    expect(p.quality.passed).toBe(p.quality.reasons.every((r) => r === 'multiple_faces'));
  });

  it('embeds the one face a client names by index or by box, and names every face when the choice matches none', async () => {
    const bytes = await readFace('faceapijs_bbt_group/bbt1.jpg');
    const all = await pipeline.analyze(bytes, { faces: 'all' });
    const third = all.faces[2]!;
    const byIndex = await pipeline.analyze(bytes, { select: { index: 2 } });
    expect(byIndex.faces.map((f) => f.index)).toEqual([2]);
    expect(cosineSimilarity(byIndex.faces[0]!.embedding, third.embedding)).toBeCloseTo(1, 5);
    const b = third.box;
    const byBox = await pipeline.analyze(bytes, { select: { box: { x: b.x + 3, y: b.y - 2, width: b.width, height: b.height + 4 } } });
    expect(byBox.faces.map((f) => f.index)).toEqual([2]);
    const refused = { code: 'face_not_found', status: 422, details: { face_count: all.faceCount } };
    await expect(pipeline.analyze(bytes, { select: { index: all.faceCount } })).rejects.toMatchObject(refused);
    await expect(pipeline.analyze(bytes, { select: { box: { x: 0, y: 0, width: 5, height: 5 } } })).rejects.toMatchObject(refused);
  });

  it('takes the centred subject of a news photo as dominant over a bystander', async () => {
    const a = await pipeline.analyze(await readFace('krasserm_lfw10/Vladimir_Putin/1.jpg'));
    expect(a.faceCount).toBe(2);
    expect(a.dominant).toBe(true);
    const centreX = (i: number): number => a.detections[i]!.box.x + a.detections[i]!.box.width / 2;
    expect(Math.abs(centreX(0) - 125)).toBeLessThan(15);
    expect(Math.abs(centreX(1) - 125)).toBeGreaterThan(45);
  });

  it('honours EXIF orientation: stored sideways, tagged to display upright', async () => {
    const src = await readFace('facescrub/Aaron_Eckhart/4.jpg'); // 185x252
    // Pixels turned 90 degrees counter-clockwise; orientation 6 tells viewers to turn them back.
    const sideways = await sharp(await sharp(src).rotate(270).toBuffer()).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
    const a = await pipeline.analyze(sideways);
    expect([a.width, a.height]).toEqual([185, 252]);
    const f = a.faces[0]!;
    expect(Math.abs(f.quality.metrics.roll)).toBeLessThan(20);
    const orig = (await pipeline.analyze(src)).faces[0]!;
    expect(cosineSimilarity(orig.embedding, f.embedding)).toBeGreaterThan(0.9);
    expect(Math.abs(f.box.x - orig.box.x)).toBeLessThan(5);
  });

  it('flags blurred, dark and over-bright photos and returns no face for a blank image', async () => {
    const src = await readFace('krasserm_lfw10/Tony_Blair/1.jpg');
    const blurred = await pipeline.analyze(await sharp(src).blur(4).jpeg().toBuffer());
    expect(blurred.faces[0]?.quality.reasons ?? ['blurry']).toContain('blurry');
    const dark = await pipeline.analyze(await sharp(src).linear(0.12, 0).jpeg().toBuffer());
    expect(dark.faces[0]?.quality.reasons ?? ['too_dark']).toContain('too_dark');
    const bright = await pipeline.analyze(await sharp(src).linear(0.3, 200).jpeg().toBuffer());
    expect(bright.faces[0]?.quality.reasons ?? ['too_bright']).toContain('too_bright');
    const blank = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#808080' } }).png().toBuffer();
    const none = await pipeline.analyze(blank);
    expect([none.faceCount, none.faces.length]).toEqual([0, 0]);
  });

  it('flip TTA changes the embedding slightly and keeps it normalised', async () => {
    const bytes = await readFace('krasserm_lfw10/Tony_Blair/1.jpg');
    const plain = (await pipeline.analyze(bytes, { flipTta: false })).faces[0]!.embedding;
    const flipped = (await pipeline.analyze(bytes, { flipTta: true })).faces[0]!.embedding;
    expect(norm(flipped)).toBeCloseTo(1, 4);
    const c = cosineSimilarity(plain, flipped);
    expect(c).toBeLessThan(0.9999);
    expect(c).toBeGreaterThan(0.8);
  });

  it('raises InvalidImageError for bad input, never a raw sharp error', async () => {
    await expect(pipeline.analyze(await readFace('att_orl/s1/1.pgm'))).rejects.toMatchObject({ code: 'unsupported_format' });
    await expect(pipeline.analyze(Buffer.from('not an image'))).rejects.toBeInstanceOf(InvalidImageError);
  });
});
