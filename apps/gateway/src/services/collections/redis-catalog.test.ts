import { createRedisTestPrefix } from '@facerec/queue/testing';
import { catalogContract } from './catalog-contract.ts';
import { RedisCatalog } from './redis-catalog.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

catalogContract('Redis', async () => {
  const ns = await createRedisTestPrefix(REDIS_URL);
  let catalog = new RedisCatalog(REDIS_URL, ns.prefix);
  return {
    catalog,
    async reopen() {
      await catalog.close();
      catalog = new RedisCatalog(REDIS_URL, ns.prefix);
      return catalog;
    },
    async cleanup() {
      await catalog.close();
      // Nothing may be left behind but what cleanup removes: a dropped collection leaves no keys.
      await ns.cleanup();
    },
  };
});
