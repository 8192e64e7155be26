import { describe, expect, it } from 'vitest';
import { bullmqWaitListKey } from './bullmq-queue.ts';
import { createJobQueue } from './create-queue.ts';
import { registerJobQueueContract } from './contract/job-queue-contract.ts';
import { createRedisTestPrefix, type RedisTestPrefix } from './testing/redis-fixture.ts';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

registerJobQueueContract(
  'bullmq',
  () => {
    let fixture: Promise<RedisTestPrefix> | undefined;
    const namespace = () => (fixture ??= createRedisTestPrefix(REDIS_URL));
    return {
      async location() {
        return { redisUrl: REDIS_URL, prefix: (await namespace()).prefix };
      },
      async create(opts) {
        const fx = await namespace();
        // Short lock/stalled settings so the crash case's dead process hands its jobs back in ~3 s.
        const queue = createJobQueue({
          ...opts,
          redisUrl: REDIS_URL,
          prefix: fx.prefix,
          lockDurationMs: 2_000,
          stalledIntervalMs: 1_000,
          onError: (err) => {
            throw err;
          },
        });
        return { queue, blobCount: async () => (await fx.keys('blob:*')).length };
      },
      async cleanup() {
        await (await fixture)?.cleanup();
      },
    };
  },
  { survivesCrash: true },
);

describe('BullMQ key names', () => {
  it('waiting extract jobs are the list bullmqWaitListKey names (what the KEDA scaler reads with LLEN)', async () => {
    const fx = await createRedisTestPrefix(REDIS_URL);
    const queue = createJobQueue({ redisUrl: REDIS_URL, prefix: fx.prefix, maxWaiting: 100, webhookSecret: 's' });
    try {
      const key = bullmqWaitListKey(fx.prefix, 'extract');
      expect(key).toBe(`${fx.prefix}bull:extract:wait`);
      await queue.submitBatch({ type: 'extract', items: [1, 2, 3].map((i) => ({ ref: `${i}`, image: Buffer.from(`img-${i}`) })), options: {} });
      expect(await fx.redis.type(key)).toBe('list');
      expect(await fx.redis.llen(key)).toBe(3);
      expect((await queue.stats()).queues.extract.waiting).toBe(3);
    } finally {
      await queue.close();
      await fx.cleanup();
    }
  });
});
