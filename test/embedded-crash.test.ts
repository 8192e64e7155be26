/**
 * The embedded default (`npm start`, no REDIS_URL) SIGKILLed during a real batch enrollment, then started
 * again on the same DATA_DIR: the accepted job resumes and every item ends exactly once, its webhook is sent
 * once, and its Idempotency-Key still answers with the same job. Real photos through the real models, real
 * catalog and vector index, real HTTP; the webhook receiver listens on 127.0.0.1.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWebhook } from '@facerec/queue';
import { afterAll, expect, it } from 'vitest';
import { rawApiClient } from './support/raw-http-client.ts';
import { type ChildService, killChild, startChildService } from './support/child-service.ts';
import { allItems, facescrubSample, startWebhookReceiver, waitForJob, type WebhookReceiver } from './support/jobs-client.ts';
import { batchForm } from './support/raw-http-client.ts';

const SECRET = 'embedded-crash-secret';
const N = 100;

let dataDir: string | undefined;
let receiver: WebhookReceiver | undefined;
const services: ChildService[] = [];
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await receiver?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('a batch enrollment survives a SIGKILL of the service: resumed at start, every item once, one webhook, same Idempotency-Key', async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'facerec-crash-'));
  receiver = await startWebhookReceiver();
  const env = { DATA_DIR: dataDir, WEBHOOK_SECRET: SECRET, WEBHOOK_ALLOW_PRIVATE: 'true' };
  let svc = await startChildService(env);
  services.push(svc);
  const api = rawApiClient(() => svc.url);
  expect((await api.post('/v1/collections', { name: 'crash' })).status).toBe(201);

  // One photo of each of 100 facescrub people, each under its own subject.
  const images = facescrubSample(N);
  const manifest = JSON.stringify(Object.fromEntries(images.map((img) => [img.ref, img.ref.split('/')[0]])));
  const form = () => batchForm(images, { collection: 'crash', manifest, webhook_url: receiver!.url });
  const accepted = await api.post('/v1/jobs/enroll', form(), { 'idempotency-key': 'crash-enroll-1' });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
  const jobId = accepted.body.job_id as string;

  const mid = await waitForJob(svc.url, jobId, { until: (j) => j.progress.succeeded + j.progress.failed >= 15 });
  await killChild(svc);
  expect(svc.child.signalCode).toBe('SIGKILL');
  const doneBeforeKill = mid.progress.succeeded + mid.progress.failed;
  expect(doneBeforeKill).toBeLessThan(N);

  svc = await startChildService(env);
  services.push(svc);
  // The job is known at once, with what the first process recorded, before it finishes.
  const after = await api.get(`/v1/jobs/${jobId}?limit=1`);
  expect(after.status, JSON.stringify(after.body)).toBe(200);
  expect(after.body.progress.succeeded + after.body.progress.failed).toBeGreaterThanOrEqual(doneBeforeKill);
  const retry = await api.post('/v1/jobs/enroll', form(), { 'idempotency-key': 'crash-enroll-1' });
  expect(retry.status).toBe(202);
  expect(retry.body).toMatchObject({ job_id: jobId, created: false });

  const hook = await receiver.nth(1);
  expect(verifyWebhook(SECRET, hook.headers, hook.body, 300)).toBe(true);
  expect(JSON.parse(hook.body)).toMatchObject({ id: jobId, type: 'enroll', state: 'completed' });
  const done = await waitForJob(svc.url, jobId);
  expect(done.state).toBe('completed');
  expect(done.progress.succeeded + done.progress.failed).toBe(N);
  expect(done.progress.cancelled).toBe(0);

  const { items } = await allItems(svc.url, jobId, 33);
  expect(items.map((i) => i.ref)).toEqual(images.map((i) => i.ref));
  const succeeded = items.filter((i) => i.status === 'succeeded');
  for (const item of items) {
    if (item.status === 'succeeded') expect(item.result).toMatchObject({ face_id: expect.any(String), subject_id: item.ref.split('/')[0] });
    else expect(item, JSON.stringify(item)).toMatchObject({ status: 'failed', error: { code: expect.any(String) } });
  }
  expect(succeeded.length).toBeGreaterThanOrEqual(90);
  // An item running when the process died ran again and found its own face: one face per succeeded item.
  const faceIds = new Set(succeeded.map((i) => i.result.face_id as string));
  expect(faceIds.size).toBe(succeeded.length);
  const collection = await api.get('/v1/collections/crash');
  expect(collection.body).toMatchObject({ face_count: succeeded.length, subject_count: succeeded.length });

  const resumed = svc.logs.find((l) => l.includes('resumed work interrupted'));
  expect(resumed).toBeDefined();
  console.info(`embedded crash: killed after ${doneBeforeKill}/${N} items; ${resumed}; ${succeeded.length} enrolled, ${N - succeeded.length} failed with a code`);
  expect(done.webhook).toMatchObject({ delivered: true, attempts: [expect.objectContaining({ status: 200 })] });
  expect(await svc.stop()).toBe(0);
  expect(receiver.received).toHaveLength(1);
  // Every uploaded image was deleted once its item ended, the resubmission's copies at once.
  expect(readdirSync(join(dataDir, 'queue', 'blobs'))).toEqual([]);
});
