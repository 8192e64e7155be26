/**
 * Bring your own embedder, end to end: a second ArcFace-style model from the manifest, calibrated with
 * `npm run models:calibrate` (committed), served by configuration alone (EMBEDDER_MODEL), and refused at
 * start-up when its calibration is missing. Real service processes, real photos, real models.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, apiClient, imageFile } from './support/api-client.ts';
import { type ChildService, startChildService } from './support/child-service.ts';
import { photos } from './support/shared-faces.ts';

const SET = 'krasserm_lfw10';
const people = ['Ariel_Sharon', 'Colin_Powell', 'Tony_Blair'];
const photo = (identity: string, n: number) => photos(SET, identity).find((p) => p.endsWith(`/${n}.jpg`))!;
const repoManifest = fileURLToPath(new URL('../models/manifest.json', import.meta.url));

describe('bring your own embedder (arcface-mobilenet-128 as the new model)', () => {
  let dir: string;
  let dataDir: string;
  let svc: ChildService | undefined;
  const api = apiClient(() => svc!.url);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'facerec-byo-'));
    dataDir = join(dir, 'data');
  });
  afterAll(async () => {
    await svc?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start a model without an open-set calibration, saying how to make one', async () => {
    const manifest = JSON.parse(readFileSync(repoManifest, 'utf8')) as { models: Array<Record<string, unknown>> };
    const arc = manifest.models.find((m) => m.id === 'arcface-mobilenet-128')!;
    delete arc.open_set;
    const path = join(dir, 'uncalibrated.json');
    writeFileSync(path, JSON.stringify(manifest));
    const failed = await startChildService({ MODELS_MANIFEST: path, EMBEDDER_MODEL: 'arcface-mobilenet-128', DATA_DIR: dataDir }).then(
      () => null,
      (err: Error) => err.message,
    );
    expect(failed).toMatch(/exited with 1/);
    const messages = failed!.split('\n').flatMap((line) => (line.startsWith('{') ? [(JSON.parse(line) as { msg: string }).msg] : []));
    const reason = messages.find((m) => m.includes('open-set calibration'));
    expect(reason).toContain('Embedder "arcface-mobilenet-128" has no open-set calibration in the manifest');
    expect(reason).toContain('npm run models:calibrate -- --model arcface-mobilenet-128 --data');
  });

  it('serves the calibrated model by configuration alone: collections pin it and decide with its own calibration', async () => {
    svc = await startChildService({ EMBEDDER_MODEL: 'arcface-mobilenet-128', DATA_DIR: dataDir });
    const health = await answer(api().http.GET('/health'));
    expect(health.body.model).toMatchObject({ embedder: 'arcface-mobilenet-128', dimension: 128 });
    const created = await answer(api().http.POST('/v1/collections', { body: { name: 'arc' } }));
    expect(created.body).toMatchObject({ embedder: 'arcface-mobilenet-128', dimension: 128, decision: { source: 'target_fpir' } });
    // The explanation names arcface's own calibration (cfp + facescrub, 455 people), not mobilefacenet's.
    expect(created.body.decision.explanation).toContain('of 455 people');
    for (const person of people) {
      const res = await answer(api().enrollFace('arc', { image: imageFile(photo(person, 1)), subject_id: person }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    for (const person of people) {
      const res = await answer(api().identify('arc', { image: imageFile(photo(person, 3)) }));
      expect(res.body.faces[0], person).toMatchObject({ decision: 'match', match: { subject_id: person } });
    }
    const feature = await answer(api().extractFeature({ image: imageFile(photo(people[0]!, 1)) }));
    expect(feature.body.model).toMatchObject({ embedder: 'arcface-mobilenet-128', dimension: 128 });
  });

  it('a service configured with another embedder still serves that collection with its own model', async () => {
    await svc!.stop();
    svc = await startChildService({ DATA_DIR: dataDir });
    expect((await answer(api().http.GET('/health'))).body.model.embedder).toBe('mobilefacenet');
    const col = await answer(api().http.GET('/v1/collections/{name}', { params: { path: { name: 'arc' } } }));
    expect(col.body).toMatchObject({ embedder: 'arcface-mobilenet-128', face_count: 3 });
    const res = await answer(api().identify('arc', { image: imageFile(photo(people[1]!, 4)) }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.faces[0]).toMatchObject({ decision: 'match', match: { subject_id: people[1] } });
    const more = await answer(api().enrollFace('arc', { image: imageFile(photo(people[1]!, 2)), subject_id: people[1]! }));
    expect(more.status, JSON.stringify(more.body)).toBe(201);
    // New collections take the service's own embedder.
    expect((await answer(api().http.POST('/v1/collections', { body: { name: 'mfn' } }))).body.embedder).toBe('mobilefacenet');
  });
});
