/**
 * A gateway process whose Qdrant is down answers 503 `index_unavailable` within the same ~2 s as a Redis
 * outage (catalog_unavailable), instead of hanging for the client's default 300 s or answering 500. Both
 * kinds of outage are on loopback: a port nothing listens on (refused) and a listener that accepts and
 * never answers (stalled).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createRedisTestPrefix, type RedisTestPrefix } from '@facerec/queue/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, apiClient } from './support/api-client.ts';
import { type ChildService, startChildService } from './support/child-service.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('gateway with Qdrant down', () => {
  let ns: RedisTestPrefix;
  const sockets = new Set<Socket>();
  const stalled = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  let refusedPort: number;
  let stalledPort: number;
  const services: ChildService[] = [];

  beforeAll(async () => {
    ns = await createRedisTestPrefix(REDIS_URL);
    const probe = createServer();
    refusedPort = await listen(probe);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    stalledPort = await listen(stalled);
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => stalled.close(() => resolve()));
    await ns?.cleanup();
  });

  it.each([
    // Refused: three quick attempts (100 + 300 ms apart). Stalled: the whole QDRANT_TIMEOUT_MS (default 2 s), once.
    ['refused', () => refusedPort, 0, 2000],
    ['stalled', () => stalledPort, 1900, 3000],
  ])('Qdrant %s: POST /v1/collections answers 503 index_unavailable within ~2 s', async (_kind, port, minMs, maxMs) => {
    const svc = await startChildService(
      { ROLE: 'gateway', REDIS_URL, QUEUE_PREFIX: ns.prefix, QDRANT_URL: `http://127.0.0.1:${port()}` },
      { until: 'listening' },
    );
    services.push(svc);
    const api = apiClient(() => svc.url);
    const started = performance.now();
    const res = await answer(api().http.POST('/v1/collections', { body: { name: 'staff' } }));
    const elapsed = performance.now() - started;
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(res.body).toMatchObject({ success: false, code: 'index_unavailable', details: { service: 'qdrant' } });
    expect(res.body.message).toMatch(/Qdrant at http:\/\/127\.0\.0\.1/);
    expect(elapsed).toBeGreaterThanOrEqual(minMs);
    expect(elapsed).toBeLessThan(maxMs);
    // The catalog was not written: the name is still free.
    expect((await answer(api().http.GET('/v1/collections'))).body.collections).toEqual([]);
    expect(svc.child.exitCode).toBeNull();
  });
});
