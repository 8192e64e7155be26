export { createRedisTestPrefix, type RedisTestPrefix } from './redis-fixture.ts';
export { startPrivateRedis, type PrivateRedis } from './redis-server.ts';
export { spawnQueueChild, killQueueChildren, type ChildSpec, type QueueChild, type QueueLocation } from './queue-child.ts';
export { crashBatchImages, sha256Hex } from './crash-batch.ts';
