/**
 * Migrating a collection to another embedder end to end: a real service, real photos, both models (the
 * shipped mobilefacenet and arcface-mobilenet-128 as the new one), the real catalog and vector index, in both
 * queue modes, and a gateway SIGKILLed mid-migration and restarted on the same DATA_DIR.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisTestPrefix, type RedisTestPrefix } from '@facerec/queue/testing';
import type { Json } from './support/api-client.ts';
import { rawApiClient } from './support/raw-http-client.ts';
import { type ChildService, killChild, startChildService } from './support/child-service.ts';
import { photos, readPhoto } from './support/shared-faces.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SET = 'krasserm_lfw10';
const NEW = 'arcface-mobilenet-128';
const people = ['Ariel_Sharon', 'Arnold_Schwarzenegger', 'Colin_Powell', 'Donald_Rumsfeld', 'George_W_Bush', 'Gerhard_Schroeder', 'Hugo_Chavez'];
const stranger = 'Jacques_Chirac';
const photo = (identity: string, n: number) => photos(SET, identity).find((p) => p.endsWith(`/${n}.jpg`))!;
const probes = [...people.map((p) => photo(p, 5)), photo(stranger, 1)];

function imageForm(file: string, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.append('image', new Blob([readPhoto(file)]), 'face.jpg');
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}

type Api = ReturnType<typeof rawApiClient>;

async function enrollAll(api: Api, name: string) {
  for (const person of people) {
    for (const n of [1, 2, 3]) {
      const res = await api.post(`/v1/collections/${name}/faces`, imageForm(photo(person, n), { subject_id: person }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  }
}

/** Identify answers without timings: what must not change while a migration runs or after a rollback. */
async function answers(api: Api, name: string): Promise<Json[]> {
  const out: Json[] = [];
  for (const p of probes) {
    const res = await api.post(`/v1/collections/${name}/identify`, imageForm(p, { top_k: '3' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { processing_time: _, ...rest } = res.body;
    out.push(rest);
  }
  return out;
}

async function until(api: Api, path: string, done: (m: Json) => boolean, timeoutMs = 90_000): Promise<Json> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.get(path);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    if (done(res.body.migration)) return res.body;
    if (Date.now() > end) throw new Error(`timed out waiting on ${path}: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** After the switch: every enrolled person's unseen photo names them, the stranger nobody, with the new model. */
async function expectServedByNewModel(api: Api, name: string) {
  const col = await api.get(`/v1/collections/${name}`);
  expect(col.body).toMatchObject({ embedder: NEW, dimension: 128 });
  const got = await answers(api, name);
  const named = got.slice(0, people.length).filter((a, i) => a.faces[0].match?.subject_id === people[i]).length;
  expect(named).toBeGreaterThanOrEqual(people.length - 1);
  expect(got[people.length]!.faces[0].match).toBeNull();
}

const modes = [
  { mode: 'embedded', redis: false },
  { mode: 'redis queue', redis: true },
] as const;

describe.each(modes)('collection migration to another embedder, $mode', ({ redis }) => {
  let ns: RedisTestPrefix | undefined;
  let svc: ChildService;
  const api = rawApiClient(() => svc.url);
  let before: Json[] = [];

  beforeAll(async () => {
    ns = redis ? await createRedisTestPrefix(REDIS_URL) : undefined;
    svc = await startChildService(ns ? { REDIS_URL, QUEUE_PREFIX: ns.prefix } : {});
    expect((await api.post('/v1/collections', { name: 'staff' })).status).toBe(201);
    await enrollAll(api, 'staff');
    before = await answers(api, 'staff');
  });
  afterAll(async () => {
    await svc?.stop();
    await ns?.cleanup();
  });

  it('refuses what it cannot do: no crops kept, an unknown or the same embedder, a second migration at once', async () => {
    expect((await api.post('/v1/collections', { name: 'private', store_crops: false })).status).toBe(201);
    expect((await api.post('/v1/collections/private/faces', imageForm(photo(people[0]!, 1), { subject_id: 'a' }))).status).toBe(201);
    const noCrops = await api.post('/v1/collections/private/migrations', { embedder: NEW });
    expect(noCrops.status).toBe(409);
    expect(noCrops.body.code).toBe('crops_required');
    expect(noCrops.body.message).toContain('original photos');
    expect((await api.post('/v1/collections/staff/migrations', { embedder: 'w600k_r50' })).body).toMatchObject({ code: 'unknown_embedder' });
    expect((await api.post('/v1/collections/staff/migrations', { embedder: 'mobilefacenet' })).body).toMatchObject({ code: 'same_embedder' });
    expect((await api.post('/v1/collections/staff/migrations', { embeder: NEW })).status).toBe(400);
    expect((await api.post('/v1/collections/nope/migrations', { embedder: NEW })).status).toBe(404);
  });

  it('re-embeds every stored crop into a shadow space while the collection answers with its old model, then switches on commit', async () => {
    const started = await api.post('/v1/collections/staff/migrations', { embedder: NEW });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const m = started.body.migration;
    expect(m).toMatchObject({ state: 'running', from: { embedder: 'mobilefacenet', dimension: 128 }, to: { embedder: NEW, dimension: 128 }, auto_commit: false });
    expect(started.body.job).toMatchObject({ id: m.job_id, type: 'migrate', progress: { total: people.length * 3 } });
    expect((await api.post('/v1/collections/staff/migrations', { embedder: NEW })).body).toMatchObject({ code: 'migration_active' });

    // Meanwhile: the old model answers exactly as before, and writes reach both spaces.
    expect(await answers(api, 'staff')).toEqual(before);
    const late = await api.post('/v1/collections/staff/faces', imageForm(photo(people[0]!, 4), { subject_id: people[0]! }));
    expect(late.status).toBe(201);
    const doomed = (await api.get(`/v1/collections/staff/subjects/${people[1]}`)).body.faces[2].face_id as string;
    expect((await api.del(`/v1/collections/staff/faces/${doomed}`)).status).toBe(200);

    const ready = await until(api, `/v1/collections/staff/migrations/${m.id}`, (x) => x.state !== 'running');
    const report = ready.migration.report;
    expect(ready.migration.state).toBe('ready');
    expect(report).toMatchObject({ faces: people.length * 3, migrated: people.length * 3, failed: 0, failures: [] });
    expect(report.faces_per_second).toBeGreaterThan(0);
    const sc = report.self_consistency;
    expect(sc.subjects).toBe(people.length);
    expect(sc.faces).toBe(people.length * 3);
    expect(sc.rate).toBeGreaterThan(0.8);
    expect(sc.before.rate).toBeGreaterThan(0.8);
    expect(sc.threshold).toBeGreaterThan(0);
    const job = await api.get(`/v1/jobs/${m.job_id}`);
    expect(job.body).toMatchObject({ state: 'completed', type: 'migrate' });

    // Ready is not switched: the collection still answers with its old model.
    expect((await api.get('/v1/collections/staff')).body).toMatchObject({ embedder: 'mobilefacenet' });
    const committed = await api.post(`/v1/collections/staff/migrations/${m.id}/commit`, {});
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    expect(committed.body.migration.state).toBe('committed');
    expect((await api.post(`/v1/collections/staff/migrations/${m.id}/commit`, {})).body.migration.state).toBe('committed');
    expect((await api.post(`/v1/collections/staff/migrations/${m.id}/rollback`, {})).body.code).toBe('migration_committed');

    await expectServedByNewModel(api, 'staff');
    // The face enrolled during the migration is there in the new space, the deleted one is not.
    const verify = await api.post('/v1/collections/staff/verify', imageForm(photo(people[0]!, 4), { subject_id: people[0]! }));
    expect(verify.body).toMatchObject({ is_same_person: true, face_id: late.body.face_id });
    const search = await api.post('/v1/collections/staff/search', { vector: (await api.post('/api/extract_feature', imageForm(photo(people[1]!, 3)))).body.feature, top_k: 50 });
    expect(search.body.hits.map((h: Json) => h.face_id)).not.toContain(doomed);
    // New enrollments take the new model.
    expect((await api.post('/v1/collections/staff/faces', imageForm(photo(stranger, 2), { subject_id: stranger }))).status).toBe(201);
  });

  it('a rollback before the commit leaves the collection untouched; a cancelled job ends its migration', async () => {
    const now = await answers(api, 'staff');
    const back = await api.post('/v1/collections/staff/migrations', { embedder: 'mobilefacenet' });
    expect(back.status).toBe(202);
    const rolled = await api.post(`/v1/collections/staff/migrations/${back.body.migration.id}/rollback`, {});
    expect(rolled.status).toBe(200);
    expect(rolled.body.migration.state).toBe('rolled_back');
    expect((await api.get('/v1/collections/staff')).body).toMatchObject({ embedder: NEW });
    expect(await answers(api, 'staff')).toEqual(now);
    expect((await api.post(`/v1/collections/staff/migrations/${back.body.migration.id}/commit`, {})).body.code).toBe('migration_ended');

    const again = await api.post('/v1/collections/staff/migrations', { embedder: 'mobilefacenet' });
    expect(again.status).toBe(202);
    expect((await api.del(`/v1/jobs/${again.body.migration.job_id}`)).status).toBe(200);
    const ended = await until(api, `/v1/collections/staff/migrations/${again.body.migration.id}`, (x) => x.state !== 'running');
    // A job too quick to cancel finished instead; a rollback ends that one.
    if (ended.migration.state === 'ready') expect((await api.del(`/v1/collections/staff/migrations/${again.body.migration.id}`)).body.migration.state).toBe('rolled_back');
    else expect(ended.migration.state).toBe('cancelled');
    expect((await api.get('/v1/collections/staff')).body).toMatchObject({ embedder: NEW });
    expect(await answers(api, 'staff')).toEqual(now);
    const list = await api.get('/v1/collections/staff/migrations');
    expect(list.body.migrations.map((x: Json) => x.state)).toEqual([ended.migration.state === 'ready' ? 'rolled_back' : 'cancelled', 'rolled_back', 'committed']);
  });

  it('auto_commit switches as soon as every face is re-embedded', async () => {
    expect((await api.post('/v1/collections', { name: 'auto' })).status).toBe(201);
    for (const person of people.slice(0, 3)) {
      for (const n of [1, 2]) expect((await api.post('/v1/collections/auto/faces', imageForm(photo(person, n), { subject_id: person }))).status).toBe(201);
    }
    const started = await api.post('/v1/collections/auto/migrations', { embedder: NEW, auto_commit: true });
    expect(started.status).toBe(202);
    const done = await until(api, `/v1/collections/auto/migrations/${started.body.migration.id}`, (x) => x.state === 'committed' || x.state === 'failed');
    expect(done.migration).toMatchObject({ state: 'committed', report: { migrated: 6, failed: 0 } });
    expect((await api.get('/v1/collections/auto')).body).toMatchObject({ embedder: NEW });
  });
});

describe('collection migration survives a crash', () => {
  let dataDir: string;
  let svc: ChildService | undefined;
  const api = rawApiClient(() => svc!.url);

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'facerec-migrate-crash-'));
  });
  afterAll(async () => {
    await svc?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a gateway SIGKILLed mid-migration and restarted on the same DATA_DIR finishes it, never half-switched', async () => {
    svc = await startChildService({ DATA_DIR: dataDir });
    expect((await api.post('/v1/collections', { name: 'staff' })).status).toBe(201);
    await enrollAll(api, 'staff');
    const before = await answers(api, 'staff');
    const started = await api.post('/v1/collections/staff/migrations', { embedder: NEW });
    expect(started.status).toBe(202);
    const id = started.body.migration.id as string;
    await killChild(svc);

    svc = await startChildService({ DATA_DIR: dataDir });
    // Whatever the crash interrupted, the collection is still wholly on its old model until the commit.
    expect((await api.get('/v1/collections/staff')).body).toMatchObject({ embedder: 'mobilefacenet' });
    expect(await answers(api, 'staff')).toEqual(before);
    const ready = await until(api, `/v1/collections/staff/migrations/${id}`, (x) => x.state !== 'running');
    expect(ready.migration).toMatchObject({ state: 'ready', report: { faces: people.length * 3, migrated: people.length * 3, failed: 0 } });
    expect((await api.post(`/v1/collections/staff/migrations/${id}/commit`, {})).status).toBe(200);

    // And the switch itself survives a restart.
    await killChild(svc);
    svc = await startChildService({ DATA_DIR: dataDir });
    await expectServedByNewModel(api, 'staff');
  });

  it('a crash inside the commit (recorded committing, collection fenced, not yet switched) is finished by the restarted gateway', async () => {
    expect((await api.post('/v1/collections', { name: 'second' })).status).toBe(201);
    for (const person of people.slice(0, 3)) {
      for (const n of [1, 2]) expect((await api.post('/v1/collections/second/faces', imageForm(photo(person, n), { subject_id: person }))).status).toBe(201);
    }
    const started = await api.post('/v1/collections/second/migrations', { embedder: NEW });
    const id = started.body.migration.id as string;
    await until(api, `/v1/collections/second/migrations/${id}`, (x) => x.state === 'ready');
    await killChild(svc!);
    // What the commit's first two steps leave behind when the process dies right after them.
    const db = new DatabaseSync(join(dataDir, 'catalog.sqlite'));
    const row = db.prepare('SELECT record FROM migrations WHERE id = ?').get(id) as { record: string };
    db.prepare('UPDATE migrations SET state = ?, record = ? WHERE id = ?').run('committing', JSON.stringify({ ...JSON.parse(row.record), state: 'committing' }), id);
    db.prepare('UPDATE collections SET fence = ? WHERE name = ?').run(id, 'second');
    db.close();

    svc = await startChildService({ DATA_DIR: dataDir });
    const done = await until(api, `/v1/collections/second/migrations/${id}`, (x) => x.state !== 'committing');
    expect(done.migration.state).toBe('committed');
    expect((await api.get('/v1/collections/second')).body).toMatchObject({ embedder: NEW });
    expect((await api.post('/v1/collections/second/faces', imageForm(photo(people[3]!, 1), { subject_id: people[3]! }))).status).toBe(201);
  });
});
