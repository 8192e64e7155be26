import { createServer } from 'node:net';
import { ServiceUnavailableError } from '@facerec/errors';
import { createRedisTestPrefix } from '@facerec/queue/testing';
import type { LinkState } from '@facerec/redis';
import { expect, it } from 'vitest';
import { catalogContract } from './catalog-contract.ts';
import { RedisCatalog } from './redis-catalog.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const options = {
  timeoutMs: 1_000,
  onChange: (state: LinkState) => {
    if (!state.up) throw new Error(`Redis went down during the catalog contract: ${state.reason}`);
  },
};

catalogContract('Redis', async () => {
  const ns = await createRedisTestPrefix(REDIS_URL);
  let catalog = new RedisCatalog(REDIS_URL, ns.prefix, options);
  return {
    catalog,
    async reopen() {
      await catalog.close();
      catalog = new RedisCatalog(REDIS_URL, ns.prefix, options);
      return catalog;
    },
    async cleanup() {
      await catalog.close();
      // Nothing may be left behind but what cleanup removes: a dropped collection leaves no keys.
      await ns.cleanup();
    },
  };
});

it('answers 503 catalog_unavailable, not a hang or a 500, when Redis cannot be reached', async () => {
  // A port nothing listens on: taken, then released.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const changes: LinkState[] = [];
  const catalog = new RedisCatalog(`redis://127.0.0.1:${port}`, 'test:down:', { timeoutMs: 1_000, onChange: (s) => changes.push(s) });
  try {
    const attempt = catalog.getCollection('t', 'staff');
    await expect(attempt).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(attempt).rejects.toMatchObject({ status: 503, code: 'catalog_unavailable' });
    // Refused again at once, and the outage is reported once however many reconnects fail meanwhile.
    const t0 = performance.now();
    await expect(catalog.listCollections('t')).rejects.toMatchObject({ code: 'catalog_unavailable' });
    expect(performance.now() - t0).toBeLessThan(50);
    expect(changes).toEqual([{ up: false, reason: expect.any(String) }]);
    expect(catalog.unreachable()).toEqual(expect.any(String));
  } finally {
    await catalog.close().catch(() => {});
  }
});
