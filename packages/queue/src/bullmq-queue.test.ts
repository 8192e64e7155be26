import { createJobQueue } from './create-queue.ts';
import { registerJobQueueContract } from './contract/job-queue-contract.ts';
import { createRedisTestPrefix, type RedisTestPrefix } from './testing/redis-fixture.ts';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

registerJobQueueContract('bullmq', () => {
  let fixture: RedisTestPrefix | undefined;
  return {
    async create(opts) {
      fixture ??= await createRedisTestPrefix(REDIS_URL);
      const fx = fixture;
      const queue = createJobQueue({ ...opts, redisUrl: REDIS_URL, prefix: fx.prefix, onError: (err) => { throw err; } });
      return { queue, blobCount: async () => (await fx.keys('blob:*')).length };
    },
    async cleanup() {
      await fixture?.cleanup();
    },
  };
});
