export { createRedisTestPrefix, type RedisTestPrefix } from './redis-fixture.ts';
export { startPrivateRedis, type PrivateRedis } from './redis-server.ts';
