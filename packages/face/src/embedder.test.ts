import { describe, expect, it } from 'vitest';
import { findModel } from '@facerec/models';
import { alignFace } from './align-face.ts';
import { cosineSimilarity } from './cosine.ts';
import { decodeImage } from './decode-image.ts';
import { Embedder } from './embedder.ts';
import { YunetDetector } from './yunet-detector.ts';
import { DEFAULT_OPTIONS, MODELS_DIR, readFace, testManifest } from './test-fixtures.ts';

const session = { threads: 0, providers: ['cpu'] };

describe('embedder batching (real models)', () => {
  it('gives the same vectors for a batch as one by one, for fixed- and dynamic-batch models', async () => {
    const manifest = await testManifest();
    const detEntry = findModel(manifest, 'yunet-s', 'detect');
    const detector = await YunetDetector.create(detEntry, MODELS_DIR + detEntry.file, session);
    const crops = [];
    for (const p of ['krasserm_lfw10/Tony_Blair/1.jpg', 'krasserm_lfw10/Colin_Powell/1.jpg', 'faceapijs_bbt/amy/1.png']) {
      const img = await decodeImage(await readFace(p), DEFAULT_OPTIONS);
      const [d] = await detector.detect(img, DEFAULT_OPTIONS);
      crops.push(alignFace(img, d!.landmarks));
    }
    await detector.close();
    for (const id of ['mobilefacenet', 'arcface-mobilenet-128']) {
      const entry = findModel(manifest, id, 'embed');
      const emb = await Embedder.create(entry, MODELS_DIR + entry.file, session);
      const batch = await emb.embed(crops);
      expect(batch).toHaveLength(3);
      for (let i = 0; i < crops.length; i++) {
        const [single] = await emb.embed([crops[i]!]);
        expect(cosineSimilarity(batch[i]!, single!), `${id} #${i}`).toBeGreaterThan(0.9999);
      }
      expect(cosineSimilarity(batch[0]!, batch[1]!)).toBeLessThan(0.6);
      const flipped = await emb.embed(crops, { flipTta: true });
      expect(flipped).toHaveLength(3);
      expect(await emb.embed([])).toEqual([]);
      await emb.close();
    }
  });
});
