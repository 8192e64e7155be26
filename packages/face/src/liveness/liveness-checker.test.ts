import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacePipeline, type FacePipeline } from '../face-pipeline.ts';
import { DEFAULT_OPTIONS, MODELS_DIR, readFace, testManifest } from '../test-fixtures.ts';

describe('passive liveness (MiniFASNetV2, real model, the antispoof samples)', () => {
  let pipeline: FacePipeline;
  beforeAll(async () => {
    pipeline = await createFacePipeline({ ...DEFAULT_OPTIONS, manifest: await testManifest(), modelsDir: MODELS_DIR, liveness: { model: 'minifasnet-v2', threshold: 0.5 } });
  });
  afterAll(() => pipeline.close());

  it('scores the live photo near 1 and both printed-photo attacks near 0 (PROVENANCE: 1.000, 0.009, 0.001)', async () => {
    const score = async (rel: string) => {
      const a = await pipeline.analyze(await readFace(`antispoof_samples/${rel}`), { liveness: true });
      expect(a.faces).toHaveLength(1);
      return a.faces[0]!.liveness!;
    };
    const live = await score('live/1.jpg');
    const print1 = await score('print_attack/1.jpg');
    const print2 = await score('print_attack/2.jpg');
    expect(live).toMatchObject({ passed: true, model: 'minifasnet-v2' });
    expect(live.score).toBeGreaterThan(0.99);
    expect(print1).toMatchObject({ passed: false });
    expect(print1.score).toBeLessThan(0.02);
    expect(print2.score).toBeLessThan(0.02);
  });

  it('runs only when asked: the default analysis carries no liveness', async () => {
    const a = await pipeline.analyze(await readFace('antispoof_samples/live/1.jpg'));
    expect(a.faces[0]!.liveness).toBeUndefined();
    expect(a.timings.liveness).toBe(0);
  });

  it('creates no liveness session until a call asks for one', async () => {
    // A model id the manifest lacks: only a call that asks for liveness finds out.
    const lazy = await createFacePipeline({ ...DEFAULT_OPTIONS, manifest: await testManifest(), modelsDir: MODELS_DIR, liveness: { model: 'no-such-liveness-model' } });
    try {
      const bytes = await readFace('krasserm_lfw10/Tony_Blair/1.jpg');
      expect((await lazy.analyze(bytes)).faces).toHaveLength(1);
      await expect(lazy.analyze(bytes, { liveness: true })).rejects.toThrow(/no-such-liveness-model/);
    } finally {
      await lazy.close();
    }
    const none = await createFacePipeline({ ...DEFAULT_OPTIONS, manifest: await testManifest(), modelsDir: MODELS_DIR });
    try {
      await expect(none.analyze(await readFace('krasserm_lfw10/Tony_Blair/1.jpg'), { liveness: true })).rejects.toMatchObject({ code: 'liveness_unavailable', status: 503 });
    } finally {
      await none.close();
    }
  });
});
