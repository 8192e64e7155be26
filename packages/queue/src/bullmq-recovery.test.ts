import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createJobQueue } from './create-queue.ts';
import type { Handlers } from './job-catalog.ts';
import type { JobQueue } from './queue-port.ts';
import { createRedisTestPrefix, type RedisTestPrefix } from './testing/redis-fixture.ts';
import { startPrivateRedis, type PrivateRedis } from './testing/redis-server.ts';
import { killQueueChildren, spawnQueueChild, type QueueChild } from './testing/queue-child.ts';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
// Short lock/stalled settings so a dead worker's jobs come back in ~3 s instead of ~45 s.
const FAST_RECOVERY = { lockDurationMs: 2_000, stalledIntervalMs: 1_000 };

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const hashing = {
  extract: async (payload, ctx) => ({ sha256: sha256(await ctx.readBlob(payload.blobKey)) }),
} satisfies Handlers;

function images(n: number, tag: (i: number) => string): Buffer[] {
  return Array.from({ length: n }, (_, i) => Buffer.concat([Buffer.from(tag(i), 'latin1'), randomBytes(1024)]));
}

async function expectComplete(queue: JobQueue, id: string, imgs: Buffer[]): Promise<void> {
  const done = await vi.waitFor(
    async () => {
      const b = await queue.getBatch(id, { limit: 1_000 });
      if (b.finished_at === null) throw new Error(`batch still ${b.state}: ${JSON.stringify(b.progress)}`);
      return b;
    },
    { timeout: 30_000, interval: 50 },
  );
  expect(done.state).toBe('completed');
  // Counters move only when an item's first outcome is written, so equality here means no duplicates.
  expect(done.progress).toEqual({ total: imgs.length, succeeded: imgs.length, failed: 0, cancelled: 0 });
  expect(done.items.map((i) => i.result?.['sha256'])).toEqual(imgs.map(sha256));
}

/** A worker process that blocks on "hang" items; resolves once it is consuming. */
function spawnHangingWorker(prefix: string): Promise<QueueChild> {
  return spawnQueueChild({ queue: { redisUrl: REDIS_URL, prefix }, secret: 's' });
}

describe('BullMQ adapter: crash and outage recovery', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await killQueueChildren();
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('a second worker finishes a batch whose first worker was SIGKILLed mid-batch, nothing lost or duplicated', async () => {
    const fx: RedisTestPrefix = await createRedisTestPrefix(REDIS_URL);
    closers.push(() => fx.cleanup());
    const queue = createJobQueue({ redisUrl: REDIS_URL, prefix: fx.prefix, webhookSecret: 's', maxWaiting: 1_000, ...FAST_RECOVERY });
    closers.push(() => queue.close());

    const child = await spawnHangingWorker(fx.prefix);
    // The child finishes the first 10, then blocks on 4 "hang" items with the rest still waiting.
    const imgs = images(40, (i) => (i < 10 ? 'okay' : 'hang'));
    const { batch } = await queue.submitBatch({ type: 'extract', items: imgs.map((image, i) => ({ ref: `r${i}`, image })), options: { faces: 'primary' } });
    await child.hanging(4);
    expect(await child.kill()).toBe('SIGKILL');

    await queue.startWorker(hashing, { concurrency: 4 });
    await expectComplete(queue, batch.id, imgs);
    // Blobs go after the outcomes are recorded, so the last ones may outlive the batch's finish by a moment.
    await vi.waitFor(async () => expect(await fx.keys('blob:*')).toHaveLength(0), { timeout: 5_000, interval: 50 });
  });

  it('records an item that stalled more than maxStalledCount times as failed, so its batch still finishes', async () => {
    const fx: RedisTestPrefix = await createRedisTestPrefix(REDIS_URL);
    closers.push(() => fx.cleanup());
    // maxStalledCount 0: the first stall already exceeds the limit.
    const queue = createJobQueue({ redisUrl: REDIS_URL, prefix: fx.prefix, webhookSecret: 's', maxWaiting: 1_000, ...FAST_RECOVERY, maxStalledCount: 0 });
    closers.push(() => queue.close());
    const child = await spawnHangingWorker(fx.prefix);
    const imgs = images(6, (i) => (i < 2 ? 'okay' : 'hang'));
    const { batch } = await queue.submitBatch({ type: 'extract', items: imgs.map((image, i) => ({ ref: `r${i}`, image })), options: { faces: 'primary' } });
    await child.hanging(4);
    await child.kill();

    let calls = 0;
    await queue.startWorker({ extract: async (p, ctx) => (calls++, hashing.extract(p, ctx)) });
    const done = await vi.waitFor(
      async () => {
        const b = await queue.getBatch(batch.id);
        if (b.finished_at === null) throw new Error(`batch still ${b.state}`);
        return b;
      },
      { timeout: 30_000, interval: 50 },
    );
    expect(done.progress).toEqual({ total: 6, succeeded: 2, failed: 4, cancelled: 0 });
    expect(done.items.slice(2).map((i) => i.error?.code)).toEqual(['internal_error', 'internal_error', 'internal_error', 'internal_error']);
    expect(calls).toBe(0);
    // An item's blob goes only after its outcome is recorded (and so after the batch can finish): the last
    // item's delete may still be in flight when finished_at appears.
    await vi.waitFor(async () => expect(await fx.keys('blob:*')).toHaveLength(0), { timeout: 5_000, interval: 50 });
  });

  it('keeps every accepted job through a Redis restart (AOF, fsync always)', async () => {
    const server: PrivateRedis = await startPrivateRedis();
    closers.push(() => server.stop());
    const errors: unknown[] = [];
    const queue = createJobQueue({ redisUrl: server.url, prefix: 'facerec:', webhookSecret: 's', maxWaiting: 1_000, onError: (e) => errors.push(e), ...FAST_RECOVERY });
    closers.push(() => queue.close());

    // The first 5 items run freely; later ones block until Redis is back, so jobs are active during the outage.
    let started = 0;
    let fiveDone!: () => void;
    const fiveDonePromise = new Promise<void>((resolve) => (fiveDone = resolve));
    let restarted!: () => void;
    const restartedPromise = new Promise<void>((resolve) => (restarted = resolve));
    let done = 0;
    await queue.startWorker(
      {
        extract: async (payload, ctx) => {
          if (++started > 5) await restartedPromise;
          const result = await hashing.extract(payload, ctx);
          if (++done === 5) fiveDone();
          return result;
        },
      },
      { concurrency: 2 },
    );
    const before = images(30, () => 'pre:');
    const first = await queue.submitBatch({ type: 'extract', items: before.map((image, i) => ({ ref: `a${i}`, image })), options: { faces: 'primary' } });
    await fiveDonePromise;
    await server.restart();
    restarted();
    const after = images(10, () => 'post');
    // The request path fails fast (503 queue_unavailable) until its connection is back, as a client would see.
    const second = await vi.waitFor(
      () => queue.submitBatch({ type: 'extract', items: after.map((image, i) => ({ ref: `b${i}`, image })), options: { faces: 'primary' } }),
      { timeout: 10_000, interval: 50 },
    );

    await expectComplete(queue, first.batch.id, before);
    await expectComplete(queue, second.batch.id, after);
  });
});
