/**
 * /health is 503 while the models load and 200 after. The load is held at a gate the test opens, so the
 * "before" state is observed deterministically; everything else (config, manifest, models, HTTP) is real.
 */
import { loadConfig } from '@facerec/config';
import { createFacePipeline } from '@facerec/face';
import { createLocalFaceExtractor, createLogger, FeatureMatcher, startServer } from '@facerec/gateway';
import { loadManifest } from '@facerec/models';
import { expect, it } from 'vitest';
import { facesRoot } from './support/shared-faces.ts';

it('is 503 before the models load, 200 after, and extraction waits for readiness', async () => {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1' }, []);
  const manifest = await loadManifest(config.models.manifestPath);
  const logger = createLogger('silent');
  let openGate!: () => void;
  const gate = new Promise<void>((r) => (openGate = r));
  const extractor = createLocalFaceExtractor(async () => {
    await gate;
    return createFacePipeline({ ...config.pipeline, manifest, modelsDir: config.models.dir });
  }, logger);
  const server = await startServer(config, {
    extractor,
    matcher: new FeatureMatcher(128, { value: 0.5, source: 'test' }),
    model: { detector: 'yunet-s', embedder: 'mobilefacenet', dimension: 128 },
    logger,
    maxBodyBytes: 1 << 20,
    version: 'test',
  });
  try {
    const before = await fetch(`${server.url}/health`);
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({ success: false, status: 'unavailable', model: { embedder: 'mobilefacenet', dimension: 128 } });

    const form = new FormData();
    form.append('image', new Blob([await import('node:fs').then((fs) => fs.readFileSync(`${facesRoot}/krasserm_lfw10/${fs.readdirSync(`${facesRoot}/krasserm_lfw10`)[0]}/1.jpg`))]), 'a.jpg');
    const early = await fetch(`${server.url}/api/extract_feature`, { method: 'POST', body: form });
    expect(early.status).toBe(503);
    expect(await early.json()).toMatchObject({ success: false, code: 'models_not_ready' });

    openGate();
    await extractor.ready();
    const after = await fetch(`${server.url}/health`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ success: true, status: 'ok', mode: 'embedded' });
  } finally {
    await server.close();
  }
});
