/**
 * /health is 503 while the models load and 200 after. The local worker's start is held at a gate the test
 * opens, so the "before" state is observed deterministically; everything else (config, queue, models,
 * HTTP) is the real wiring of `npm start`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@facerec/config';
import { buildGatewayDeps, createLogger, startServer } from '@facerec/gateway';
import { type FaceWorker, startFaceWorker } from '@facerec/worker';
import { expect, it } from 'vitest';
import { identities, photos } from './support/shared-faces.ts';

it('is 503 before the models load, 200 after; extraction is refused with 503 until then', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'facerec-health-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }, []);
  const logger = createLogger('silent');
  let openGate!: () => void;
  const gate = new Promise<void>((r) => (openGate = r));
  let started!: Promise<FaceWorker>;
  const deps = await buildGatewayDeps(config, logger, {
    startLocalWorker: (...args) => (started = gate.then(() => startFaceWorker(...args))),
  });
  const server = await startServer(config, deps);
  try {
    const before = await fetch(`${server.url}/health`);
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({ success: false, status: 'unavailable', model: { embedder: 'mobilefacenet', dimension: 128 } });

    const form = new FormData();
    form.append('image', new Blob([readFileSync(photos('krasserm_lfw10', identities('krasserm_lfw10')[0]!)[0]!)]), 'a.jpg');
    const early = await fetch(`${server.url}/api/extract_feature`, { method: 'POST', body: form });
    expect(early.status).toBe(503);
    expect(await early.json()).toMatchObject({ success: false, code: 'models_not_ready' });

    openGate();
    await started;
    const after = await fetch(`${server.url}/health`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ success: true, status: 'ok', mode: 'embedded' });
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
