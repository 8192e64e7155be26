import { createServer, type Server, type Socket } from 'node:net';
import { createJobQueue, type JobQueue } from '@facerec/queue';
import { afterEach, expect, it } from 'vitest';
import { startMetricsServer } from './metrics-server.ts';
import { Metrics } from './metrics.ts';
import { queueDepthSource } from './queue-depth.ts';

const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closing.splice(0).reverse()) await c();
});

it('reports each queue by state from the real in-process queue at scrape time', async () => {
  const metrics = new Metrics({ defaultMetrics: false });
  const queue: JobQueue = createJobQueue({ maxWaiting: 100, webhookSecret: '' });
  closing.push(() => queue.close());
  metrics.watchQueue(queueDepthSource(queue));
  await queue.submitBatch({ type: 'extract', items: [1, 2, 3].map((i) => ({ ref: `${i}`, image: Buffer.from(`x${i}`) })), options: {} });
  const body = (await metrics.exposition()).body;
  expect(body).toContain('facerec_queue_jobs{queue="extract",state="waiting"} 3');
  expect(body).toContain('facerec_queue_jobs{queue="enroll",state="waiting"} 0');
  expect(body).toContain('facerec_queue_jobs{queue="webhook",state="failed"} 0');
  expect(body).toMatch(/^facerec_queue_reachable 1$/m);
});

it('answers a scrape in bounded time while Redis does not answer, saying the queue is unreachable', async () => {
  // A loopback listener that accepts connections and never replies: a stalled Redis.
  const sockets = new Set<Socket>();
  const silent: Server = createServer((s) => void sockets.add(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  closing.push(() => new Promise<void>((r) => {
    for (const s of sockets) s.destroy();
    silent.close(() => r());
  }));
  const port = (silent.address() as { port: number }).port;
  const queue = createJobQueue({ redisUrl: `redis://127.0.0.1:${port}`, prefix: 'silent:', maxWaiting: 10, webhookSecret: '', onError: () => {} });
  closing.push(() => Promise.race([queue.close(), new Promise<void>((r) => setTimeout(r, 200))]));
  const metrics = new Metrics({ defaultMetrics: false });
  metrics.watchQueue(queueDepthSource(queue));
  const started = performance.now();
  const body = (await metrics.exposition()).body;
  expect(performance.now() - started).toBeLessThan(3_000);
  expect(body).toMatch(/^facerec_queue_reachable 0$/m);
  expect(body).not.toMatch(/^facerec_queue_jobs\{/m);
});

it('the worker side door serves /metrics and /health (503 until ready) and nothing else', async () => {
  const metrics = new Metrics();
  let ready = false;
  const server = await startMetricsServer({ host: '127.0.0.1', port: 0, metrics, health: async () => ({ ready, detail: ready ? 'ready' : 'models are loading' }) });
  closing.push(() => server.close());
  const m = await fetch(`${server.url}/metrics`);
  expect(m.status).toBe(200);
  expect(m.headers.get('content-type')).toContain('text/plain');
  const text = await m.text();
  expect(text).toContain('# TYPE process_cpu_seconds_total counter');
  expect(text).toContain('# TYPE facerec_jobs_total counter');
  const before = await fetch(`${server.url}/health`);
  expect(before.status).toBe(503);
  expect(await before.json()).toEqual({ success: false, status: 'unavailable', message: 'models are loading' });
  ready = true;
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
  expect((await fetch(`${server.url}/other`)).status).toBe(404);
  expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
});
