/**
 * Fleet-only scenarios: a gateway (ROLE=gateway) and worker processes (apps/worker/src/main.ts) as real child
 * processes sharing a real Redis. A worker SIGKILLed mid-batch, a Redis restart mid-batch, the synchronous spec
 * endpoint through gateway→Redis→worker, backpressure (429 + Retry-After) and the sync timeout (504).
 * The API behaviour shared with the embedded mode is in jobs-api.test.ts.
 *
 * With QDRANT_URL set (and QDRANT_API_KEY if the server needs one) the first group keeps its vectors in that
 * Qdrant, under a collection prefix of its own, and runs a second gateway: a face enrolled through one is
 * identified through the other, whose own DATA_DIR is empty, which is what makes gateways interchangeable.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@facerec/config';
import { cosineSimilarity, createThreadedFacePipeline, type FacePipeline } from '@facerec/face';
import { loadManifest } from '@facerec/models';
import { createRedisTestPrefix, type RedisTestPrefix, startPrivateRedis } from '@facerec/queue/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, apiClient, imageFile } from './support/api-client.ts';
import { type ChildService, killChild, startChildService, startChildWorker } from './support/child-service.ts';
import { faceFreeJpeg } from './support/crafted-images.ts';
import { allItems, checkExactlyOnce, facescrubSample, submitJob, waitForJob } from './support/jobs-client.ts';
import { identities, photos, readPhoto } from './support/shared-faces.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Crash recovery in seconds instead of the production 30 s + 15 s. */
const FAST_RECOVERY = { QUEUE_LOCK_MS: '2000', QUEUE_STALLED_INTERVAL_MS: '1000' };
/** Set: the gateways keep vectors in this Qdrant (a prefix of their own; the collection is dropped at the end). */
const QDRANT_URL = process.env.QDRANT_URL;
const qdrantEnv: Record<string, string> = QDRANT_URL
  ? {
      QDRANT_URL,
      ...(process.env.QDRANT_API_KEY ? { QDRANT_API_KEY: process.env.QDRANT_API_KEY } : {}),
      QDRANT_COLLECTION_PREFIX: `facerec_fleet_${randomUUID().slice(0, 8)}_`,
      // A shared test server may be busy; the 2 s default is for production answers, tested on loopback.
      QDRANT_TIMEOUT_MS: '15000',
    }
  : {};

function expectErrorShape(body: Record<string, any>, code?: string) {
  expect(body.success).toBe(false);
  if (code) expect(body.code).toBe(code);
  else expect(body.code).toEqual(expect.any(String));
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(5);
  expect(typeof body.processing_time).toBe('number');
}

async function syncExtract(url: string, bytes: Uint8Array, name = 'face.jpg') {
  const form = new FormData();
  form.append('image', new Blob([bytes]), name);
  const res = await fetch(`${url}/api/extract_feature`, { method: 'POST', body: form });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

async function stopAll(...services: (ChildService | undefined)[]) {
  await Promise.all(services.map((s) => s?.stop()));
}

const fleetTitle = QDRANT_URL
  ? `fleet: two gateways + two workers on the shared Redis, vectors in Qdrant at ${QDRANT_URL}`
  : 'fleet: gateway + two workers on the shared Redis (embedded vector index; set QDRANT_URL to run it on Qdrant)';

describe(fleetTitle, () => {
  let ns: RedisTestPrefix;
  let gateway: ChildService;
  let second: ChildService | undefined;
  let workers: ChildService[];
  let dataDir: string;
  beforeAll(async () => {
    ns = await createRedisTestPrefix(REDIS_URL);
    dataDir = mkdtempSync(join(tmpdir(), 'facerec-fleet-'));
    const env = { REDIS_URL, QUEUE_PREFIX: ns.prefix, ...FAST_RECOVERY };
    [gateway, second, ...workers] = await Promise.all([
      startChildService({ ...env, ...qdrantEnv, ROLE: 'gateway', DATA_DIR: dataDir }, { until: 'listening' }),
      // Its own (empty) DATA_DIR: whatever it finds, it found in Redis and Qdrant.
      QDRANT_URL ? startChildService({ ...env, ...qdrantEnv, ROLE: 'gateway' }, { until: 'listening' }) : undefined,
      startChildWorker(env),
      startChildWorker(env),
    ]);
  });
  afterAll(async () => {
    // Leaves nothing in a shared Qdrant: the collection's vectors go with it.
    if (QDRANT_URL && gateway) await apiClient(() => gateway.url)().http.DELETE('/v1/collections/{name}', { params: { path: { name: 'fleet' } } }).catch(() => undefined);
    await stopAll(gateway, second, ...(workers ?? []));
    await ns?.cleanup();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('POST /api/extract_feature goes gateway→Redis→worker and returns the same 128-d feature as the pipeline in this process', async () => {
    const [image] = facescrubSample(1);
    const { status, body } = await syncExtract(gateway.url, image!.bytes);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.success).toBe(true);
    expect(body.feature).toHaveLength(128);
    expect(body.feature_dim).toBe(128);
    expect(Math.hypot(...(body.feature as number[]))).toBeCloseTo(1, 3);

    const config = loadConfig({}, []);
    let pipeline: FacePipeline | undefined;
    try {
      pipeline = await createThreadedFacePipeline({ ...config.pipeline, manifest: await loadManifest(config.models.manifestPath), modelsDir: config.models.dir });
      const local = await pipeline.analyze(image!.bytes, { faces: 'primary' });
      const expected = Array.from(local.faces[0]!.embedding);
      expect(expected).toHaveLength(128);
      expect(cosineSimilarity(Float32Array.from(body.feature as number[]), Float32Array.from(expected))).toBeGreaterThan(0.9999);
    } finally {
      await pipeline?.close();
    }
  });

  it('a no-face image through the fleet → 400 no_face (the error class rebuilt on the gateway side)', async () => {
    const { status, body } = await syncExtract(gateway.url, await faceFreeJpeg());
    expect(status).toBe(400);
    expectErrorShape(body, 'no_face');
  });

  it('a batch enrollment runs on the gateway, its face work on the workers, and the catalog lands in the shared Redis', async () => {
    const api = apiClient(() => gateway.url);
    expect((await answer(api().http.POST('/v1/collections', { body: { name: 'fleet' } }))).status).toBe(201);
    // Two photos of each of six facescrub people; the third photo of the first one is the probe.
    const people = identities('facescrub').slice(0, 6);
    const images = people.flatMap((id) => photos('facescrub', id).slice(0, 2).map((path, n) => ({ ref: `${id}-${n}.jpg`, bytes: readPhoto(path) })));
    const manifest = Object.fromEntries(images.map((img) => [img.ref, img.ref.replace(/-\d\.jpg$/, '')]));
    const accepted = await answer(api().submitEnrollJob({ images: images.map((img) => new File([img.bytes], img.ref)), collection: 'fleet', manifest }));
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const done = await waitForJob(gateway.url, accepted.body.job_id as string);
    expect(done).toMatchObject({ type: 'enroll', state: 'completed' });
    expect(done.progress.succeeded).toBeGreaterThanOrEqual(10);

    // The catalog is in the shared Redis under the queue prefix, not in a file of the gateway's.
    expect((await ns.keys('catalog:*')).length).toBeGreaterThan(0);
    const probe = imageFile(photos('facescrub', people[0]!)[2]!, 'probe.jpg');
    const identified = await answer(api().identify('fleet', { image: probe }));
    expect(identified.status).toBe(200);
    expect(identified.body.faces[0].match?.subject_id).toBe(people[0]);

    if (second) {
      // The other gateway: same catalog (Redis), same vectors (Qdrant), nothing of its own on disk.
      const other = apiClient(() => second!.url);
      const again = await answer(other().identify('fleet', { image: probe }));
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      expect(again.body.faces[0].match?.subject_id).toBe(people[0]);
      expect(again.body.faces[0].candidates).toEqual(identified.body.faces[0].candidates);
      // A face enrolled through the second gateway is found through the first: a third photo of one of these
      // people (the first that passes the enrollment quality gate).
      let extra: { path: string; subject: string; faceId: string } | undefined;
      for (const subject of people.slice(1)) {
        for (const path of photos('facescrub', subject).slice(2)) {
          const res = await answer(other().enrollFace('fleet', { image: imageFile(path, 'extra.jpg'), subject_id: subject, on_conflict: 'allow' }));
          if (res.status === 201) extra = { path, subject, faceId: res.body.face_id as string };
          if (extra) break;
        }
        if (extra) break;
      }
      expect(extra, 'a third photo of one of five people passes the quality gate').toBeDefined();
      const found = await answer(api().identify('fleet', { image: imageFile(extra!.path, 'same.jpg') }));
      expect(found.status).toBe(200);
      expect(found.body.faces[0].candidates[0]).toMatchObject({ subject_id: extra!.subject, face_id: extra!.faceId });
      expect(found.body.faces[0].candidates[0].similarity).toBeGreaterThan(0.99);
    }
  });

  it('a 200-image batch completes with nothing missing or duplicated when one worker is SIGKILLed mid-batch', async () => {
    const images = facescrubSample(200);
    const sub = await submitJob(gateway.url, images);
    expect(sub.status, JSON.stringify(sub.body)).toBe(202);
    // Mid-batch: both workers are busy (4 jobs each in flight) and most of the batch is still to do.
    const mid = await waitForJob(gateway.url, sub.body.job_id, { until: (j) => j.progress.succeeded + j.progress.failed >= 30 });
    expect(mid.state).toBe('running');
    await killChild(workers[0]!);
    expect(workers[0]!.child.signalCode).toBe('SIGKILL');

    const done = await waitForJob(gateway.url, sub.body.job_id, { deadlineMs: 180_000 });
    expect(done.state).toBe('completed');
    expect(done.progress.succeeded + done.progress.failed).toBe(200);
    const { items } = await allItems(gateway.url, sub.body.job_id, 64);
    const counts = checkExactlyOnce(images, items);
    expect(counts.succeeded).toBeGreaterThanOrEqual(190);
    // The killed worker's in-flight items were re-run by the survivor: none was failed as stalled.
    expect(items.filter((i) => i.status === 'failed' && /stall/i.test(JSON.stringify(i.error)))).toEqual([]);
    expect(workers[1]!.child.exitCode).toBeNull();
  });
});

describe('fleet: backpressure and synchronous timeout, with no worker running', () => {
  let ns: RedisTestPrefix;
  let gateway: ChildService;
  let worker: ChildService | undefined;
  const env = () => ({ REDIS_URL, QUEUE_PREFIX: ns.prefix, QUEUE_MAX_WAITING: '3', SYNC_TIMEOUT_MS: '800', ...FAST_RECOVERY });
  beforeAll(async () => {
    ns = await createRedisTestPrefix(REDIS_URL);
    gateway = await startChildService({ ...env(), ROLE: 'gateway' }, { until: 'listening' });
  });
  afterAll(async () => {
    await stopAll(gateway, worker);
    await ns?.cleanup();
  });

  it('sync extract with no worker → 504 in our error shape; a full queue → 429 + Retry-After; accepted work completes once a worker starts', async () => {
    const images = facescrubSample(4);
    // 1. Nobody takes the job: the caller gets 504 after SYNC_TIMEOUT_MS; the job stays queued (1 waiting).
    const timedOut = await syncExtract(gateway.url, images[0]!.bytes);
    expect(timedOut.status, JSON.stringify(timedOut.body)).toBe(504);
    expectErrorShape(timedOut.body);

    // 2. Below the limit, a batch is accepted whole (1 + 2 = 3 waiting).
    const accepted = await submitJob(gateway.url, images.slice(1, 3));
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);

    // 3. At the limit, new work of either kind is refused with Retry-After.
    const refusedBatch = await submitJob(gateway.url, images.slice(3));
    expect(refusedBatch.status).toBe(429);
    expectErrorShape(refusedBatch.body);
    expect(Number(refusedBatch.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const refusedSync = await syncExtract(gateway.url, images[3]!.bytes);
    expect(refusedSync.status).toBe(429);
    expect(Number(refusedSync.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await ns.keys('batch:*')).filter((k) => /batch:[^:]+$/.test(k))).toHaveLength(1);

    const stillQueued = await allItems(gateway.url, accepted.body.job_id);
    expect(stillQueued.job.state).toBe('queued');
    expect(stillQueued.items.map((i) => i.status)).toEqual(['pending', 'pending']);

    // 4. A worker starts: the accepted batch completes, and the queue takes work again.
    worker = await startChildWorker(env());
    const done = await waitForJob(gateway.url, accepted.body.job_id);
    expect(done.state).toBe('completed');
    checkExactlyOnce(images.slice(1, 3), (await allItems(gateway.url, accepted.body.job_id)).items);
    const retried = await syncExtract(gateway.url, images[3]!.bytes);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body.feature).toHaveLength(128);
  });
});

describe('fleet: a Redis restart mid-batch', () => {
  it('loses no accepted job: the batch still completes with all items', async () => {
    const redis = await startPrivateRedis();
    let gateway: ChildService | undefined;
    let worker: ChildService | undefined;
    try {
      const env = { REDIS_URL: redis.url, QUEUE_PREFIX: 'facerec:', ...FAST_RECOVERY };
      [gateway, worker] = await Promise.all([startChildService({ ...env, ROLE: 'gateway' }, { until: 'listening' }), startChildWorker(env)]);
      const images = facescrubSample(100);
      const sub = await submitJob(gateway.url, images);
      expect(sub.status, JSON.stringify(sub.body)).toBe(202);
      await waitForJob(gateway.url, sub.body.job_id, { until: (j) => j.progress.succeeded + j.progress.failed >= 10 });

      await redis.restart();

      const done = await waitForJob(gateway.url, sub.body.job_id, { deadlineMs: 180_000 });
      expect(done.state).toBe('completed');
      expect(done.progress.succeeded + done.progress.failed).toBe(100);
      const { items } = await allItems(gateway.url, sub.body.job_id, 30);
      const counts = checkExactlyOnce(images, items);
      expect(counts.succeeded).toBeGreaterThanOrEqual(95);
      // Both processes rode through the restart.
      expect(gateway.child.exitCode).toBeNull();
      expect(worker.child.exitCode).toBeNull();
      const after = await submitJob(gateway.url, images.slice(0, 2));
      expect(after.status).toBe(202);
      expect((await waitForJob(gateway.url, after.body.job_id)).state).toBe('completed');
    } finally {
      await stopAll(gateway, worker);
      await redis.stop();
    }
  });
});
