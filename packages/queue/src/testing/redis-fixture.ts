import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export interface RedisTestPrefix {
  url: string;
  /** `test:<random>:` — pass it as the code under test's key prefix. */
  prefix: string;
  /** A plain client for assertions; closed by cleanup(). */
  redis: Redis;
  /** Keys under the prefix matching `pattern` (a glob after the prefix). */
  keys(pattern?: string): Promise<string[]>;
  /** Deletes every key under the prefix and closes the client. */
  cleanup(): Promise<void>;
}

/** Gives a test its own key namespace on a shared Redis, so tests can run in parallel and leave nothing behind. */
export async function createRedisTestPrefix(url: string): Promise<RedisTestPrefix> {
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  await redis.ping();
  const keys = async (pattern = '*'): Promise<string[]> => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}${pattern}`, 'COUNT', 1000);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    return found;
  };
  return {
    url,
    prefix,
    redis,
    keys,
    async cleanup() {
      const all = await keys();
      for (let i = 0; i < all.length; i += 500) await redis.unlink(...all.slice(i, i + 500));
      await redis.quit();
    },
  };
}
