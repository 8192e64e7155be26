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
