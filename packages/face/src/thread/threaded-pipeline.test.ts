import { InvalidImageError, NoFaceError } from '@facerec/errors';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFacePipeline, type FacePipeline } from '../face-pipeline.ts';
import { DEFAULT_OPTIONS, MODELS_DIR, readFace, testManifest } from '../test-fixtures.ts';
import { createThreadedFacePipeline } from './threaded-pipeline.ts';

let direct: FacePipeline;
let threaded: FacePipeline;

beforeAll(async () => {
  const args = { ...DEFAULT_OPTIONS, manifest: await testManifest(), modelsDir: MODELS_DIR };
  [direct, threaded] = await Promise.all([createFacePipeline(args), createThreadedFacePipeline({ ...args, pipelineThreads: 2 })]);
});
afterAll(async () => {
  await Promise.all([direct?.close(), threaded?.close()]);
});

it('gives the same faces and vectors as the in-thread pipeline', async () => {
  const image = await readFace('faceapijs_bbt_group/bbt1.jpg');
  const [a, b] = await Promise.all([direct.analyze(image, { faces: 'all' }), threaded.analyze(image, { faces: 'all' })]);
  expect(b.faceCount).toBe(a.faceCount);
  expect(b.faces).toHaveLength(a.faces.length);
  b.faces.forEach((face, i) => {
    expect(face.embedding).toBeInstanceOf(Float32Array);
    expect(Array.from(face.embedding)).toEqual(Array.from(a.faces[i]!.embedding));
  });
  // The caller's buffer must survive the transfer to the thread.
  expect(image.length).toBeGreaterThan(0);
  expect(image[0]).toBe(0xff);
});

it('rethrows the typed error raised in the thread, so HTTP status mapping is unchanged', async () => {
  await expect(threaded.analyze(Buffer.from('not an image'))).rejects.toBeInstanceOf(InvalidImageError);
  const blank = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#808080' } }).png().toBuffer();
  const err = await threaded.analyze(blank).then(() => null, (e: unknown) => e);
  // A blank image decodes fine and simply has no face: that is not an error of the pipeline's.
  if (err) expect(err).toBeInstanceOf(NoFaceError);
});

it('spreads concurrent requests over its threads and answers every one', async () => {
  const image = await readFace('krasserm_lfw10/Ariel_Sharon/1.jpg');
  const results = await Promise.all(Array.from({ length: 6 }, () => threaded.analyze(image)));
  for (const r of results) expect(Array.from(r.faces[0]!.embedding)).toEqual(Array.from(results[0]!.faces[0]!.embedding));
  // Counters come back from every thread, summed.
  expect((await threaded.stats()).embed.faces).toBeGreaterThanOrEqual(results.length);
  expect(threaded.providers).toEqual(direct.providers);
});

it('with the models on an inference thread, gives exactly the same faces and vectors', async () => {
  const args = { ...DEFAULT_OPTIONS, inferenceThread: true, manifest: await testManifest(), modelsDir: MODELS_DIR };
  const [inThread, split] = await Promise.all([createFacePipeline(args), createThreadedFacePipeline({ ...args, pipelineThreads: 1 })]);
  try {
    const images = [await readFace('faceapijs_bbt_group/bbt1.jpg'), await readFace('krasserm_lfw10/Tony_Blair/1.jpg')];
    for (const image of images) {
      const [a, b, c] = await Promise.all([direct.analyze(image, { faces: 'all' }), inThread.analyze(image, { faces: 'all' }), split.analyze(image, { faces: 'all' })]);
      for (const other of [b, c]) {
        expect(other.faces.map((f) => f.box)).toEqual(a.faces.map((f) => f.box));
        expect(other.faces.map((f) => Array.from(f.embedding))).toEqual(a.faces.map((f) => Array.from(f.embedding)));
      }
    }
    // Typed errors still come back from a pipeline whose models run elsewhere.
    await expect(split.analyze(Buffer.from('not an image'))).rejects.toBeInstanceOf(InvalidImageError);
    expect(split.providers).toEqual(direct.providers);
  } finally {
    await Promise.all([inThread.close(), split.close()]);
  }
});
