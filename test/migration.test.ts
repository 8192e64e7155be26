/**
 * Migrating a collection to another embedder end to end: a real service, real photos, both models (the
 * shipped mobilefacenet and arcface-mobilenet-128 as the new one), the real catalog and vector index, in both
 * queue modes, and a gateway SIGKILLed mid-migration and restarted on the same DATA_DIR.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisTestPrefix, type RedisTestPrefix } from '@facerec/queue/testing';
import { answer, apiClient, imageFile, type Json } from './support/api-client.ts';
import { type ChildService, killChild, startChildService } from './support/child-service.ts';
import { photos } from './support/shared-faces.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SET = 'krasserm_lfw10';
const NEW = 'arcface-mobilenet-128';
const people = ['Ariel_Sharon', 'Arnold_Schwarzenegger', 'Colin_Powell', 'Donald_Rumsfeld', 'George_W_Bush', 'Gerhard_Schroeder', 'Hugo_Chavez'];
const stranger = 'Jacques_Chirac';
const photo = (identity: string, n: number) => photos(SET, identity).find((p) => p.endsWith(`/${n}.jpg`))!;
const probes = [...people.map((p) => photo(p, 5)), photo(stranger, 1)];

type Api = ReturnType<typeof apiClient>;

/** The typed client's calls for one collection and its migrations, answering `{status, body}`. */
function calls(api: Api) {
  const at = (name: string) => ({ params: { path: { name } } });
  const mig = (name: string, migration_id: string) => ({ params: { path: { name, migration_id } } });
  return {
    create: (body: { name: string; store_crops?: boolean }) => answer(api().http.POST('/v1/collections', { body })),
    collection: (name: string) => answer(api().http.GET('/v1/collections/{name}', at(name))),
    enroll: (name: string, file: string, subject_id: string) => answer(api().enrollFace(name, { image: imageFile(file), subject_id })),
    identify: (name: string, file: string) => answer(api().identify(name, { image: imageFile(file), top_k: 3 })),
    verify: (name: string, file: string, subject_id: string) => answer(api().verify(name, { image: imageFile(file), subject_id })),
    subject: (name: string, subject_id: string) => answer(api().http.GET('/v1/collections/{name}/subjects/{subject_id}', { params: { path: { name, subject_id } } })),
    deleteFace: (name: string, face_id: string) => answer(api().http.DELETE('/v1/collections/{name}/faces/{face_id}', { params: { path: { name, face_id } } })),
    search: async (name: string, file: string) => {
      const feature = (await answer(api().extractFeature({ image: imageFile(file) }))).body.feature as number[];
      return answer(api().http.POST('/v1/collections/{name}/search', { ...at(name), body: { vector: feature, top_k: 50 } }));
    },
    migrate: (name: string, body: { embedder: string; auto_commit?: boolean }) => answer(api().http.POST('/v1/collections/{name}/migrations', { ...at(name), body })),
    migrations: (name: string) => answer(api().http.GET('/v1/collections/{name}/migrations', at(name))),
    migration: (name: string, id: string) => answer(api().http.GET('/v1/collections/{name}/migrations/{migration_id}', mig(name, id))),
    commit: (name: string, id: string) => answer(api().http.POST('/v1/collections/{name}/migrations/{migration_id}/commit', mig(name, id))),
    rollback: (name: string, id: string) => answer(api().http.POST('/v1/collections/{name}/migrations/{migration_id}/rollback', mig(name, id))),
    abandon: (name: string, id: string) => answer(api().http.DELETE('/v1/collections/{name}/migrations/{migration_id}', mig(name, id))),
    job: (id: string) => answer(api().http.GET('/v1/jobs/{id}', { params: { path: { id } } })),
    cancelJob: (id: string) => answer(api().http.DELETE('/v1/jobs/{id}', { params: { path: { id } } })),
  };
}
type Calls = ReturnType<typeof calls>;

async function enrollAll(c: Calls, name: string) {
  for (const person of people) {
    for (const n of [1, 2, 3]) {
      const res = await c.enroll(name, photo(person, n), person);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  }
}

/** Identify answers without timings: what must not change while a migration runs or after a rollback. */
async function answers(c: Calls, name: string): Promise<Json[]> {
  const out: Json[] = [];
  for (const p of probes) {
    const res = await c.identify(name, p);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { processing_time: _, ...rest } = res.body;
    out.push(rest);
  }
  return out;
}

async function until(c: Calls, name: string, id: string, done: (m: Json) => boolean, timeoutMs = 90_000): Promise<Json> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const res = await c.migration(name, id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    if (done(res.body.migration)) return res.body;
    if (Date.now() > end) throw new Error(`timed out waiting on migration ${id}: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** After the switch: every enrolled person's unseen photo names them, the stranger nobody, with the new model. */
async function expectServedByNewModel(c: Calls, name: string) {
  expect((await c.collection(name)).body).toMatchObject({ embedder: NEW, dimension: 128 });
  const got = await answers(c, name);
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
  const c = calls(apiClient(() => svc.url));
  let before: Json[] = [];

  beforeAll(async () => {
    ns = redis ? await createRedisTestPrefix(REDIS_URL) : undefined;
    svc = await startChildService(ns ? { REDIS_URL, QUEUE_PREFIX: ns.prefix } : {});
    expect((await c.create({ name: 'staff' })).status).toBe(201);
    await enrollAll(c, 'staff');
    before = await answers(c, 'staff');
  });
  afterAll(async () => {
    await svc?.stop();
    await ns?.cleanup();
  });

  it('refuses what it cannot do: no crops kept, an unknown or the same embedder, a second migration at once', async () => {
    expect((await c.create({ name: 'private', store_crops: false })).status).toBe(201);
    expect((await c.enroll('private', photo(people[0]!, 1), 'a')).status).toBe(201);
    const noCrops = await c.migrate('private', { embedder: NEW });
    expect(noCrops.status).toBe(409);
    expect(noCrops.body.code).toBe('crops_required');
    expect(noCrops.body.message).toContain('original photos');
    expect((await c.migrate('staff', { embedder: 'w600k_r50' })).body).toMatchObject({ code: 'unknown_embedder' });
    expect((await c.migrate('staff', { embedder: 'mobilefacenet' })).body).toMatchObject({ code: 'same_embedder' });
    expect((await c.migrate('staff', { embeder: NEW } as never)).status).toBe(400);
    expect((await c.migrate('nope', { embedder: NEW })).status).toBe(404);
  });

  it('re-embeds every stored crop into a shadow space while the collection answers with its old model, then switches on commit', async () => {
    const started = await c.migrate('staff', { embedder: NEW });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const m = started.body.migration;
    expect(m).toMatchObject({ state: 'running', from: { embedder: 'mobilefacenet', dimension: 128 }, to: { embedder: NEW, dimension: 128 }, auto_commit: false });
    expect(started.body.job).toMatchObject({ id: m.job_id, type: 'migrate', progress: { total: people.length * 3 } });
    expect((await c.migrate('staff', { embedder: NEW })).body).toMatchObject({ code: 'migration_active' });

    // Meanwhile: the old model answers exactly as before, and writes reach both spaces.
    expect(await answers(c, 'staff')).toEqual(before);
    const late = await c.enroll('staff', photo(people[0]!, 4), people[0]!);
    expect(late.status).toBe(201);
    const doomed = (await c.subject('staff', people[1]!)).body.faces[2].face_id as string;
    expect((await c.deleteFace('staff', doomed)).status).toBe(200);

    const ready = await until(c, 'staff', m.id, (x) => x.state !== 'running');
    const report = ready.migration.report;
    expect(ready.migration.state).toBe('ready');
    // The report counts what the catalog holds when the job ends: 21 faces, or 22 when it ended between the
    // late enrollment and the delete. Either way every one of them has its new vector.
    expect(report).toMatchObject({ migrated: report.faces, failed: 0, failures: [] });
    const counts = [people.length * 3, people.length * 3 + 1];
    expect(counts).toContain(report.faces);
    expect(report.faces_per_second).toBeGreaterThan(0);
    const sc = report.self_consistency;
    expect(sc.subjects).toBe(people.length);
    expect(counts).toContain(sc.faces);
    expect(sc.rate).toBeGreaterThan(0.8);
    expect(sc.before.rate).toBeGreaterThan(0.8);
    expect(sc.threshold).toBeGreaterThan(0);
    expect((await c.job(m.job_id)).body).toMatchObject({ state: 'completed', type: 'migrate' });

    // Ready is not switched: the collection still answers with its old model.
    expect((await c.collection('staff')).body).toMatchObject({ embedder: 'mobilefacenet' });
    const committed = await c.commit('staff', m.id);
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    expect(committed.body.migration.state).toBe('committed');
    expect((await c.commit('staff', m.id)).body.migration.state).toBe('committed');
    expect((await c.rollback('staff', m.id)).body.code).toBe('migration_committed');

    await expectServedByNewModel(c, 'staff');
    // The face enrolled during the migration is there in the new space, the deleted one is not.
    expect((await c.verify('staff', photo(people[0]!, 4), people[0]!)).body).toMatchObject({ is_same_person: true, face_id: late.body.face_id });
    expect((await c.search('staff', photo(people[1]!, 3))).body.hits.map((h: Json) => h.face_id)).not.toContain(doomed);
    // New enrollments take the new model.
    expect((await c.enroll('staff', photo(stranger, 2), stranger)).status).toBe(201);
  });

  it('a rollback before the commit leaves the collection untouched; a cancelled job ends its migration', async () => {
    const now = await answers(c, 'staff');
    const back = await c.migrate('staff', { embedder: 'mobilefacenet' });
    expect(back.status).toBe(202);
    const rolled = await c.rollback('staff', back.body.migration.id);
    expect(rolled.status).toBe(200);
    expect(rolled.body.migration.state).toBe('rolled_back');
    expect((await c.collection('staff')).body).toMatchObject({ embedder: NEW });
    expect(await answers(c, 'staff')).toEqual(now);
    expect((await c.commit('staff', back.body.migration.id)).body.code).toBe('migration_ended');

    const again = await c.migrate('staff', { embedder: 'mobilefacenet' });
    expect(again.status).toBe(202);
    expect((await c.cancelJob(again.body.migration.job_id)).status).toBe(200);
    const ended = await until(c, 'staff', again.body.migration.id, (x) => x.state !== 'running');
    // A job too quick to cancel finished instead; abandoning ends that one.
    if (ended.migration.state === 'ready') expect((await c.abandon('staff', again.body.migration.id)).body.migration.state).toBe('rolled_back');
    else expect(ended.migration.state).toBe('cancelled');
    expect((await c.collection('staff')).body).toMatchObject({ embedder: NEW });
    expect(await answers(c, 'staff')).toEqual(now);
    const list = await c.migrations('staff');
    expect(list.body.migrations.map((x: Json) => x.state)).toEqual([ended.migration.state === 'ready' ? 'rolled_back' : 'cancelled', 'rolled_back', 'committed']);
  });

  it('auto_commit switches as soon as every face is re-embedded', async () => {
    expect((await c.create({ name: 'auto' })).status).toBe(201);
    for (const person of people.slice(0, 3)) {
      for (const n of [1, 2]) expect((await c.enroll('auto', photo(person, n), person)).status).toBe(201);
    }
    const started = await c.migrate('auto', { embedder: NEW, auto_commit: true });
    expect(started.status).toBe(202);
    const done = await until(c, 'auto', started.body.migration.id, (x) => x.state === 'committed' || x.state === 'failed');
    expect(done.migration).toMatchObject({ state: 'committed', report: { migrated: 6, failed: 0 } });
    expect((await c.collection('auto')).body).toMatchObject({ embedder: NEW });
  });
});

describe('collection migration survives a crash', () => {
  let dataDir: string;
  let svc: ChildService | undefined;
  const c = calls(apiClient(() => svc!.url));

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'facerec-migrate-crash-'));
  });
  afterAll(async () => {
    await svc?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a gateway SIGKILLed mid-migration and restarted on the same DATA_DIR finishes it, never half-switched', async () => {
    svc = await startChildService({ DATA_DIR: dataDir });
    expect((await c.create({ name: 'staff' })).status).toBe(201);
    await enrollAll(c, 'staff');
    const before = await answers(c, 'staff');
    const started = await c.migrate('staff', { embedder: NEW });
    expect(started.status).toBe(202);
    const id = started.body.migration.id as string;
    await killChild(svc);

    svc = await startChildService({ DATA_DIR: dataDir });
    // Whatever the crash interrupted, the collection is still wholly on its old model until the commit.
    expect((await c.collection('staff')).body).toMatchObject({ embedder: 'mobilefacenet' });
    expect(await answers(c, 'staff')).toEqual(before);
    const ready = await until(c, 'staff', id, (x) => x.state !== 'running');
    expect(ready.migration).toMatchObject({ state: 'ready', report: { faces: people.length * 3, migrated: people.length * 3, failed: 0 } });
    expect((await c.commit('staff', id)).status).toBe(200);

    // And the switch itself survives a restart.
    await killChild(svc);
    svc = await startChildService({ DATA_DIR: dataDir });
    await expectServedByNewModel(c, 'staff');
  });

  it('a crash inside the commit (recorded committing, collection fenced, not yet switched) is finished by the restarted gateway', async () => {
    expect((await c.create({ name: 'second' })).status).toBe(201);
    for (const person of people.slice(0, 3)) {
      for (const n of [1, 2]) expect((await c.enroll('second', photo(person, n), person)).status).toBe(201);
    }
    await killChild(svc!);
    // This gateway kills itself (SIGKILL) inside the commit, once committing is recorded and the fence is up.
    svc = await startChildService({ DATA_DIR: dataDir, FAILPOINTS: 'migration-commit-fenced' });
    const id = (await c.migrate('second', { embedder: NEW })).body.migration.id as string;
    await until(c, 'second', id, (x) => x.state === 'ready');
    const died = once(svc.child, 'exit');
    await c.commit('second', id).catch(() => undefined);
    expect(await died).toEqual([null, 'SIGKILL']);
    const fenced = new DatabaseSync(join(dataDir, 'catalog.sqlite'));
    try {
      expect(fenced.prepare('SELECT state FROM migrations WHERE id = ?').get(id)).toEqual({ state: 'committing' });
      expect(fenced.prepare('SELECT fence FROM collections WHERE name = ?').get('second')).toEqual({ fence: id });
    } finally {
      fenced.close();
    }

    svc = await startChildService({ DATA_DIR: dataDir });
    const done = await until(c, 'second', id, (x) => x.state !== 'committing');
    expect(done.migration.state).toBe('committed');
    expect((await c.collection('second')).body).toMatchObject({ embedder: NEW });
    expect((await c.enroll('second', photo(people[3]!, 1), people[3]!)).status).toBe(201);
  });
});
