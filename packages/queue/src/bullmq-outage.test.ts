import { createHash, randomBytes } from 'node:crypto';
import { afterEach, expect, it, vi } from 'vitest';
import { createJobQueue } from './create-queue.ts';
import type { JobQueue } from './queue-port.ts';
import { startPrivateRedis, type PrivateRedis } from './testing/redis-server.ts';

const TIMEOUT_MS = 500;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const image = () => randomBytes(1024);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Every request-path call, each expected to be refused with 503 queue_unavailable during an outage. */
function requestCalls(queue: JobQueue, batchId: string): Record<string, () => Promise<unknown>> {
  return {
    getBatch: () => queue.getBatch(batchId),
    cancelBatch: () => queue.cancelBatch(batchId),
    putBlob: () => queue.putBlob(image()),
    runJob: () => queue.runJob('extract', { blobKey: 'k', options: { faces: 'primary' } }, { timeoutMs: 10_000 }),
    submitBatch: () => queue.submitBatch({ type: 'extract', items: [{ ref: 'a', image: image() }], options: { faces: 'primary' } }),
    stats: () => queue.stats(),
  };
}

async function refusedWithin(call: () => Promise<unknown>, ms: number): Promise<number> {
  const t0 = performance.now();
  await expect(call()).rejects.toMatchObject({ status: 503, code: 'queue_unavailable' });
  const took = performance.now() - t0;
  expect(took).toBeLessThanOrEqual(ms);
  return took;
}

it('refuses request-path calls with 503 queue_unavailable while Redis is frozen or dead, logs each change once, recovers by itself', async () => {
  const server: PrivateRedis = await startPrivateRedis();
  closers.push(() => server.stop());
  const lines: string[] = [];
  const queue = createJobQueue({
    redisUrl: server.url,
    prefix: 'facerec:',
    webhookSecret: 's',
    maxWaiting: 1_000,
    redisTimeoutMs: TIMEOUT_MS,
    lockDurationMs: 2_000,
    stalledIntervalMs: 1_000,
    log: { info: (msg) => lines.push(`info ${msg}`), error: (msg) => lines.push(`error ${msg}`) },
    onError: (err) => lines.push(`onError ${(err as Error).message}`),
  });
  closers.push(() => queue.close());
  await queue.startWorker({ extract: async (p, ctx) => ({ sha256: sha256(await ctx.readBlob(p.blobKey)) }) }, { concurrency: 2 });
  const imgs = [image(), image(), image()];
  const { batch } = await queue.submitBatch({ type: 'extract', items: imgs.map((img, i) => ({ ref: `${i}`, image: img })), options: { faces: 'primary' } });
  await vi.waitFor(async () => expect((await queue.getBatch(batch.id)).state).toBe('completed'), { timeout: 10_000, interval: 20 });
  const calls = requestCalls(queue, batch.id);

  // Frozen: the first call waits for the heartbeat to notice (at most the timeout and a quarter), then none waits.
  server.freeze();
  await refusedWithin(calls.getBatch!, TIMEOUT_MS * 1.25 + 500);
  for (const call of Object.values(calls)) expect(await refusedWithin(call, 100)).toBeLessThan(100);

  // Dead: connections reset, reconnects refused; still refused at once.
  await server.kill();
  for (const call of Object.values(calls)) await refusedWithin(call, 100);

  await server.start();
  const back = await vi.waitFor(() => queue.getBatch(batch.id), { timeout: 10_000, interval: 20 });
  expect(back.items.map((i) => i.result?.['sha256'])).toEqual(imgs.map(sha256));
  const img = image();
  expect(await queue.runJob('extract', { blobKey: await queue.putBlob(img), options: { faces: 'primary' } }, { timeoutMs: 10_000 })).toEqual({
    sha256: sha256(img),
  });

  // One line down, one line up: no line per reconnect attempt, per refused call or per worker connection.
  expect(lines.filter((l) => !l.startsWith('info queue: a running job lost its lock'))).toEqual([
    'error queue: Redis unreachable; requests that need the queue answer 503',
    'info queue: Redis reachable again',
  ]);
});
