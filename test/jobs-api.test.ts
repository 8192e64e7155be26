/**
 * The asynchronous jobs API end to end, one suite for both deployments:
 *  - embedded: `npm start` as one child process (no REDIS_URL, in-process queue, worker in the same process);
 *  - fleet: a gateway process (ROLE=gateway) and two worker processes sharing the real Redis.
 * Real photos from ../shared/faces through the real models, real HTTP, a real webhook receiver on loopback.
 * Fleet-only scenarios (SIGKILL, Redis restart, backpressure, sync timeouts) are in fleet.test.ts.
 */
import { verifyWebhook } from '@facerec/queue';
import { createRedisTestPrefix, type RedisTestPrefix } from '@facerec/queue/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildService, startChildService, startChildWorker } from './support/child-service.ts';
import {
  allItems,
  cancelJob,
  checkExactlyOnce,
  facescrubSample,
  getJob,
  startWebhookReceiver,
  submitJob,
  waitForJob,
} from './support/jobs-client.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'jobs-api-test-secret';
const WEBHOOK_ENV = { WEBHOOK_SECRET: SECRET, WEBHOOK_ALLOW_PRIVATE: 'true' };

interface Deployment {
  url: string;
  /** Starts another gateway on the same queue with extra/removed env, for config-dependent checks. */
  extraGateway(env: Record<string, string>): Promise<ChildService>;
  stop(): Promise<void>;
}

async function embedded(): Promise<Deployment> {
  const svc = await startChildService({ ...WEBHOOK_ENV });
  return {
    url: svc.url,
    extraGateway: (env) => startChildService(env, { until: 'listening' }),
    async stop() {
      await svc.stop();
    },
  };
}

async function fleet(): Promise<Deployment> {
  const ns: RedisTestPrefix = await createRedisTestPrefix(REDIS_URL);
  const shared = { REDIS_URL, QUEUE_PREFIX: ns.prefix, ...WEBHOOK_ENV };
  const [gateway, ...workers] = await Promise.all([
    startChildService({ ...shared, ROLE: 'gateway' }, { until: 'listening' }),
    startChildWorker(shared),
    startChildWorker(shared),
  ]);
  return {
    url: gateway!.url,
    extraGateway: (env) => startChildService({ REDIS_URL, QUEUE_PREFIX: ns.prefix, ROLE: 'gateway', ...env }, { until: 'listening' }),
    async stop() {
      await Promise.all([gateway!.stop(), ...workers.map((w) => w.stop())]);
      await ns.cleanup();
    },
  };
}

function expectErrorShape(body: Record<string, any>, code: string) {
  expect(body).toMatchObject({ success: false, code });
  expect(typeof body.message).toBe('string');
  expect(typeof body.processing_time).toBe('number');
}

const modes = [
  { mode: 'embedded (in-process queue)', start: embedded },
  { mode: 'fleet (gateway + 2 workers on Redis)', start: fleet },
] as const;

describe.each(modes)('jobs API, $mode', ({ start }) => {
  let d: Deployment;
  beforeAll(async () => {
    d = await start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('a 200-image batch completes with every item present exactly once (paged by cursor)', async () => {
    const images = facescrubSample(200);
    expect(new Set(images.map((i) => i.ref)).size).toBe(200);
    const sub = await submitJob(d.url, images);
    expect(sub.status, JSON.stringify(sub.body)).toBe(202);
    expect(sub.body).toMatchObject({ success: true, created: true, status_url: `/v1/jobs/${sub.body.job_id}` });

    const done = await waitForJob(d.url, sub.body.job_id, { deadlineMs: 150_000 });
    expect(done.state).toBe('completed');
    expect(done.progress.total).toBe(200);
    expect(done.progress.succeeded + done.progress.failed).toBe(200);
    expect(done.progress.cancelled).toBe(0);
    expect(done.finished_at).toEqual(expect.any(String));

    const { items, pages } = await allItems(d.url, sub.body.job_id, 37);
    expect(pages).toBe(Math.ceil(200 / 37));
    const counts = checkExactlyOnce(images, items);
    // Results come back in submit order, and the per-item counters agree with the items themselves.
    expect(items.map((i) => i.ref)).toEqual(images.map((i) => i.ref));
    expect(counts).toEqual({ succeeded: done.progress.succeeded, failed: done.progress.failed });
    // These are cropped celebrity faces: nearly all must yield a feature.
    expect(counts.succeeded).toBeGreaterThanOrEqual(190);
  });

  it('an idempotent retry returns the same job; the same key with another body → 409', async () => {
    const images = facescrubSample(3);
    const key = `idem-${Math.random().toString(36).slice(2)}`;
    const first = await submitJob(d.url, images, { idempotencyKey: key });
    expect(first.status).toBe(202);
    expect(first.body.created).toBe(true);

    const retry = await submitJob(d.url, images, { idempotencyKey: key });
    expect(retry.status).toBe(202);
    expect(retry.body.job_id).toBe(first.body.job_id);
    expect(retry.body.created).toBe(false);

    const other = await submitJob(d.url, images.slice(0, 2), { idempotencyKey: key });
    expect(other.status).toBe(409);
    expectErrorShape(other.body, 'idempotency_conflict');
    const renamed = await submitJob(d.url, images.map((img, i) => (i === 0 ? { ...img, ref: 'renamed.jpg' } : img)), { idempotencyKey: key });
    expect(renamed.status).toBe(409);

    // Without the key, the same body is a new job.
    const fresh = await submitJob(d.url, images);
    expect(fresh.status).toBe(202);
    expect(fresh.body.job_id).not.toBe(first.body.job_id);

    for (const id of [first.body.job_id, fresh.body.job_id]) {
      const done = await waitForJob(d.url, id);
      expect(done.state).toBe('completed');
      checkExactlyOnce(images, (await allItems(d.url, id)).items);
    }
  });

  it('DELETE cancels what has not started; running items finish; every item ends exactly once', async () => {
    const images = facescrubSample(120);
    const sub = await submitJob(d.url, images);
    expect(sub.status).toBe(202);
    const cancelled = await cancelJob(d.url, sub.body.job_id);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ success: true, id: sub.body.job_id, state: 'cancelled' });

    // Items that were running when the cancel came are still recorded; wait until every item has an outcome.
    const done = await waitForJob(d.url, sub.body.job_id, {
      until: (job) => job.progress.succeeded + job.progress.failed + job.progress.cancelled === job.progress.total,
    });
    expect(done.state).toBe('cancelled');
    expect(done.progress.cancelled).toBeGreaterThan(0);
    expect(done.finished_at).toEqual(expect.any(String));

    const { items } = await allItems(d.url, sub.body.job_id, 50);
    expect(items.map((i) => i.ref)).toEqual(images.map((i) => i.ref));
    const byStatus = (s: string) => items.filter((i) => i.status === s).length;
    expect(byStatus('pending')).toBe(0);
    expect(byStatus('cancelled')).toBe(done.progress.cancelled);
    expect(byStatus('succeeded')).toBe(done.progress.succeeded);
    expect(byStatus('succeeded') + byStatus('failed') + byStatus('cancelled')).toBe(120);

    // Cancelling again is safe and changes nothing.
    const again = await cancelJob(d.url, sub.body.job_id);
    expect(again.status).toBe(200);
    expect(again.body.state).toBe('cancelled');
    expect(again.body.progress).toEqual(done.progress);
  });

  it('unknown job id → 404 for GET and DELETE; a bad cursor → 400', async () => {
    const get = await getJob(d.url, 'no-such-job');
    expect(get.status).toBe(404);
    expect(get.body.success).toBe(false);
    expect(typeof get.body.code).toBe('string');
    const del = await cancelJob(d.url, 'no-such-job');
    expect(del.status).toBe(404);

    const images = facescrubSample(2);
    const [a, b] = await Promise.all([submitJob(d.url, images), submitJob(d.url, images)]);
    const garbage = await getJob(d.url, a.body.job_id, { cursor: 'definitely-not-a-cursor' });
    expect(garbage.status).toBe(400);
    expectErrorShape(garbage.body, 'invalid_cursor');

    // A cursor handed out for one job does not page through another.
    const page = await getJob(d.url, b.body.job_id, { limit: '1' });
    expect(page.body.next_cursor).toEqual(expect.any(String));
    const foreign = await getJob(d.url, a.body.job_id, { cursor: page.body.next_cursor });
    expect(foreign.status).toBe(400);
    expectErrorShape(foreign.body, 'invalid_cursor');

    const badLimit = await getJob(d.url, a.body.job_id, { limit: '0' });
    expect(badLimit.status).toBe(400);
    for (const id of [a.body.job_id, b.body.job_id]) expect((await waitForJob(d.url, id)).state).toBe('completed');
  });

  it('sends a correctly signed webhook, retries a failed delivery, and lists every attempt', async () => {
    // The receiver answers 500 to the first delivery and 200 to the second.
    const receiver = await startWebhookReceiver([500, 200]);
    try {
      const images = facescrubSample(4);
      const sub = await submitJob(d.url, images, { fields: { webhook_url: receiver.url } });
      expect(sub.status, JSON.stringify(sub.body)).toBe(202);

      const [first, second] = await Promise.all([receiver.nth(1), receiver.nth(2)]);
      for (const hook of [first, second]) {
        expect(hook.headers['content-type']).toMatch(/application\/json/);
        expect(verifyWebhook(SECRET, hook.headers, hook.body)).toBe(true);
        // The signature covers the body and the secret: a changed body or another secret fails verification.
        expect(verifyWebhook(SECRET, hook.headers, hook.body.replace('"completed"', '"failed"'))).toBe(false);
        expect(verifyWebhook(`${SECRET}x`, hook.headers, hook.body)).toBe(false);
        const event = JSON.parse(hook.body) as Record<string, any>;
        expect(event).toMatchObject({ id: sub.body.job_id, type: 'extract', state: 'completed' });
        expect(event.progress).toMatchObject({ total: 4 });
        expect(event.progress.succeeded + event.progress.failed).toBe(4);
      }

      const job = await waitForJob(d.url, sub.body.job_id, { until: (j) => j.webhook?.delivered === true });
      expect(job.webhook.url).toBe(receiver.url);
      expect(job.webhook.attempts).toHaveLength(2);
      expect(job.webhook.attempts[0]).toMatchObject({ status: 500 });
      expect(job.webhook.attempts[1]).toMatchObject({ status: 200 });
      for (const a of job.webhook.attempts) expect(Number.isNaN(Date.parse(a.at))).toBe(false);
      // Delivered once successfully: no further requests arrive after the 200 was recorded.
      expect(receiver.received).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  });

  it('refuses webhook_url with 400 webhooks_disabled when WEBHOOK_SECRET is not set', async () => {
    const receiver = await startWebhookReceiver();
    const bare = await d.extraGateway({ WEBHOOK_SECRET: '', WEBHOOK_ALLOW_PRIVATE: 'true' });
    try {
      const res = await submitJob(bare.url, facescrubSample(1), { fields: { webhook_url: receiver.url } });
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 'webhooks_disabled');
      expect(bare.logs.join('\n')).toContain('WEBHOOK_SECRET is not set');
    } finally {
      await bare.stop();
      await receiver.close();
    }
    expect(receiver.received).toHaveLength(0);
  });
});
