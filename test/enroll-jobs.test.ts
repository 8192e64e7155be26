/**
 * Batch enrollment (POST /v1/jobs/enroll) end to end: the real service, real photos through the real models,
 * the real catalog and vector index, real HTTP, in both queue modes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisTestPrefix, type RedisTestPrefix } from '@facerec/queue/testing';
import { multipart } from '@facerec/client';
import { answer, apiClient, imageFile, type Json } from './support/api-client.ts';
import { type ChildService, startChildService } from './support/child-service.ts';
import { faceFreeJpeg } from './support/crafted-images.ts';
import { verifyWebhook } from '@facerec/queue';
import { allItems, type BatchImage, startWebhookReceiver, waitForJob } from './support/jobs-client.ts';
import { identities, photos, readPhoto } from './support/shared-faces.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'enroll-test-secret';
const SET = 'krasserm_lfw10';
const people = identities(SET);
const enrolled = people.slice(0, 8);
const stranger = people[9]!;
const photo = (identity: string, n: number) => photos(SET, identity).find((p) => p.endsWith(`/${n}.jpg`))!;

/** What a face can fail enrollment for on real photos (LFW originals sometimes hold a second face). */
const FACE_REASONS = new Set(['multiple_faces', 'low_quality', 'subject_conflict', 'no_face']);

const modes = [
  { mode: 'embedded', redis: false },
  { mode: 'redis queue', redis: true },
] as const;

describe.each(modes)('batch enrollment jobs, $mode', ({ redis }) => {
  let ns: RedisTestPrefix | undefined;
  let svc: ChildService;
  let dataDir: string;
  let images: BatchImage[];
  let manifest: Record<string, string>;

  const api = apiClient(() => svc.url);
  /** The manifest goes as the raw JSON text the route's schema takes, so malformed ones can be sent too. */
  const submit = (list: BatchImage[], fields: { manifest: string; collection?: string; webhook_url?: string }, idempotencyKey?: string) =>
    answer(
      api().http.POST('/v1/jobs/enroll', {
        params: { header: { 'idempotency-key': idempotencyKey } },
        body: { images: list.map((img) => new File([img.bytes], img.ref)), collection: 'crew', ...fields },
        ...multipart,
      }),
    );
  const crew = () => ({ manifest: JSON.stringify(manifest) });

  beforeAll(async () => {
    ns = redis ? await createRedisTestPrefix(REDIS_URL) : undefined;
    dataDir = mkdtempSync(join(tmpdir(), 'facerec-enroll-jobs-'));
    svc = await startChildService({
      DATA_DIR: dataDir,
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_ALLOW_PRIVATE: 'true',
      ...(ns ? { REDIS_URL, QUEUE_PREFIX: ns.prefix } : {}),
    });
    expect((await answer(api().http.POST('/v1/collections', { body: { name: 'crew' } }))).status).toBe(201);

    // Four photos of each of eight people, plus two items that can never enroll.
    images = enrolled.flatMap((id) => [1, 2, 3, 4].map((n) => ({ ref: `${id}-${n}.jpg`, bytes: readPhoto(photo(id, n)) })));
    images.push({ ref: 'empty-wall.jpg', bytes: await faceFreeJpeg() }, { ref: 'notes.txt', bytes: Buffer.from('not an image at all') });
    manifest = Object.fromEntries(images.map((img) => [img.ref, img.ref.replace(/-\d+\.jpg$/, '')]));
  });
  afterAll(async () => {
    await svc?.stop();
    await ns?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let jobId = '';

  it('enrolls every file under its manifest subject and reports each item with a face id or a reason code', async () => {
    const accepted = await submit(images, crew(), 'crew-1');
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ success: true, state: 'queued', created: true });
    jobId = accepted.body.job_id as string;

    const done = await waitForJob(svc.url, jobId, { deadlineMs: 240_000 });
    expect(done).toMatchObject({ type: 'enroll', state: 'completed' });
    const { items } = await allItems(svc.url, jobId, 10);
    expect(items.map((i) => i.ref)).toEqual(images.map((i) => i.ref));

    const byRef = Object.fromEntries(items.map((i) => [i.ref as string, i]));
    expect(byRef['empty-wall.jpg']).toMatchObject({ status: 'failed', error: { code: 'no_face' } });
    expect(byRef['notes.txt']).toMatchObject({ status: 'failed', error: { code: 'unsupported_format' } });

    const photoItems = items.filter((i) => i.ref !== 'empty-wall.jpg' && i.ref !== 'notes.txt');
    const succeeded = photoItems.filter((i) => i.status === 'succeeded');
    for (const item of photoItems.filter((i) => i.status === 'failed')) expect(FACE_REASONS).toContain(item.error.code);
    expect(succeeded.length).toBeGreaterThanOrEqual(28);
    for (const item of succeeded) {
      expect(item.result).toMatchObject({ subject_id: manifest[item.ref], created: true, quality: { passed: true } });
      expect(item.result.face_id).toMatch(/^[0-9a-f-]{36}$/);
    }

    // The catalog agrees with the job: each subject holds exactly the faces reported for it.
    const perSubject = new Map<string, number>();
    for (const item of succeeded) perSubject.set(item.result.subject_id, (perSubject.get(item.result.subject_id) ?? 0) + 1);
    for (const [subject, count] of perSubject) {
      const got = await answer(api().http.GET('/v1/collections/{name}/subjects/{subject_id}', { params: { path: { name: 'crew', subject_id: subject } } }));
      expect(got.body.face_count ?? got.body.faces.length).toBe(count);
    }
    const col = await answer(api().http.GET('/v1/collections/{name}', { params: { path: { name: 'crew' } } }));
    expect(col.body).toMatchObject({ subject_count: perSubject.size, face_count: succeeded.length });
  });

  it('makes the enrolled people identifiable from photos that were not enrolled; a stranger is no match', async () => {
    for (const id of enrolled.slice(0, 3)) {
      const res = await answer(api().identify('crew', { image: imageFile(photo(id, 7), 'probe.jpg') }));
      expect(res.status).toBe(200);
      expect(res.body.faces[0].match?.subject_id).toBe(id);
    }
    const res = await answer(api().identify('crew', { image: imageFile(photo(stranger, 1), 'probe.jpg') }));
    expect(res.body.faces[0].match).toBeNull();
  });

  it('returns the same job for the same Idempotency-Key and body; a plain resubmission re-finds every face', async () => {
    const again = await submit(images, crew(), 'crew-1');
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ job_id: jobId, created: false });

    const before = (await answer(api().http.GET('/v1/collections/{name}', { params: { path: { name: 'crew' } } }))).body;
    const second = await submit(images, crew());
    expect(second.body.job_id).not.toBe(jobId);
    await waitForJob(svc.url, second.body.job_id as string, { deadlineMs: 240_000 });
    const { items } = await allItems(svc.url, second.body.job_id as string, 100);
    const succeeded = items.filter((i) => i.status === 'succeeded');
    expect(succeeded.length).toBe(before.face_count);
    for (const item of succeeded) expect(item.result.created).toBe(false);
    expect((await answer(api().http.GET('/v1/collections/{name}', { params: { path: { name: 'crew' } } }))).body).toMatchObject({ face_count: before.face_count, subject_count: before.subject_count });
  });

  it('documents the route in /openapi.json from the same schemas', async () => {
    const doc = (await (await fetch(`${svc.url}/openapi.json`)).json()) as Json;
    const form = doc.paths['/v1/jobs/enroll'].post.requestBody.content['multipart/form-data'].schema;
    expect(Object.keys(form.properties)).toEqual(expect.arrayContaining(['images', 'manifest', 'collection', 'webhook_url', 'on_conflict']));
    expect(form.required).toEqual(expect.arrayContaining(['images', 'manifest', 'collection']));
  });

  it('posts a signed webhook when an enrollment job ends', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const few = images.slice(0, 3);
      const sub = await submit(few, { collection: 'crew', manifest: JSON.stringify(Object.fromEntries(few.map((i) => [i.ref, manifest[i.ref]]))), webhook_url: receiver.url });
      expect(sub.status, JSON.stringify(sub.body)).toBe(202);
      const hook = await receiver.nth(1);
      expect(verifyWebhook(SECRET, hook.headers, hook.body)).toBe(true);
      expect(JSON.parse(hook.body)).toMatchObject({ id: sub.body.job_id, type: 'enroll', state: 'completed', progress: { total: 3 } });
    } finally {
      await receiver.close();
    }
  });

  it('refuses a bad submission with a 4xx naming the problem, and accepts nothing', async () => {
    const before = (await answer(api().http.GET('/v1/collections/{name}', { params: { path: { name: 'crew' } } }))).body;
    const pair = images.slice(0, 2);
    const form = (fields: { manifest: string; collection?: string }) => fields;

    const missing = await submit(pair, form({ manifest: JSON.stringify({ [pair[0]!.ref]: 'x' }) }));
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ success: false, code: 'manifest_missing_file' });
    expect(missing.body.message).toContain(pair[1]!.ref);

    const extra = await submit(pair, form({ manifest: JSON.stringify({ [pair[0]!.ref]: 'x', [pair[1]!.ref]: 'y', 'ghost.jpg': 'z' }) }));
    expect(extra.body).toMatchObject({ code: 'manifest_unknown_file' });
    expect(extra.body.message).toContain('ghost.jpg');

    const broken = await submit(pair, form({ manifest: '{"a.jpg": ' }));
    expect(broken.status).toBe(400);
    expect(broken.body.message).toMatch(/manifest/);

    const badSubject = await submit(pair, form({ manifest: JSON.stringify({ [pair[0]!.ref]: '', [pair[1]!.ref]: 'y' }) }));
    expect(badSubject.status).toBe(400);

    const dup = await submit([pair[0]!, pair[0]!], { collection: 'crew', manifest: JSON.stringify({ [pair[0]!.ref]: 'x' }) });
    expect(dup.body).toMatchObject({ code: 'duplicate_file_name' });

    const unknown = await submit(pair, form({ collection: 'nobody', manifest: JSON.stringify({ [pair[0]!.ref]: 'x', [pair[1]!.ref]: 'y' }) }));
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'collection_not_found' });

    expect((await answer(api().http.GET('/v1/collections/{name}', { params: { path: { name: 'crew' } } }))).body).toMatchObject({ face_count: before.face_count });
  });
});
