/**
 * Metrics, request ids and the queue dashboard on the real service processes:
 *  - fleet: a gateway (ROLE=gateway) and a worker started through the gateway's own entry point with
 *    ROLE=worker (as the container runs it), sharing the real Redis under a test prefix;
 *  - embedded: `npm start` with admin keys, where the dashboard path answers a clear 404.
 * Real photos through the real models, real HTTP; every assertion reads what the processes serve or log.
 */
import { randomBytes } from 'node:crypto';
import { Metrics } from '@facerec/telemetry';
import { createRedisTestPrefix, type RedisTestPrefix } from '@facerec/queue/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildService, startChildService, startChildWorker } from './support/child-service.ts';
import { faceFreeJpeg } from './support/crafted-images.ts';
import { facescrubSample } from './support/jobs-client.ts';
import { familiesOf } from './support/prometheus-names.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const USER_KEY = `user-${randomBytes(8).toString('hex')}`;
const ADMIN_KEY = `admin-${randomBytes(8).toString('hex')}`;
const user = { Authorization: `Bearer ${USER_KEY}` };
const admin = { Authorization: `Basic ${Buffer.from(`ops:${ADMIN_KEY}`).toString('base64')}` };

type Json = Record<string, any>;

/** The JSON log lines a process wrote, parsed; other lines (none expected) are skipped. */
function logLines(svc: ChildService): Json[] {
  return svc.logs.flatMap((l) => {
    try {
      return [JSON.parse(l) as Json];
    } catch {
      return [];
    }
  });
}

/** One sample's value from Prometheus text, by its exact series and labels as written. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function untilDone(url: string, id: string): Promise<Json> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const job = (await (await fetch(`${url}/v1/jobs/${id}?limit=10`, { headers: user })).json()) as Json;
    if (job.finished_at) return job;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`job ${id} did not finish`);
}

describe('fleet: gateway + worker on Redis', () => {
  let ns: RedisTestPrefix;
  let gateway: ChildService;
  let worker: ChildService;
  const batchRequestId = `e2e-batch-${randomBytes(4).toString('hex')}`;
  const syncRequestId = `e2e-sync-${randomBytes(4).toString('hex')}`;
  let jobId = '';

  beforeAll(async () => {
    ns = await createRedisTestPrefix(REDIS_URL);
    const shared = { REDIS_URL, QUEUE_PREFIX: ns.prefix };
    [gateway, worker] = await Promise.all([
      startChildService({ ...shared, ROLE: 'gateway', API_KEYS: USER_KEY, ADMIN_API_KEYS: ADMIN_KEY }, { until: 'listening' }),
      startChildWorker({ ...shared, ROLE: 'worker', LOG_LEVEL: 'debug' }, { script: 'apps/gateway/src/main.ts' }),
    ]);

    // A batch of two faces and one image without a face, and one synchronous extraction, each with its own id.
    const form = new FormData();
    for (const img of facescrubSample(2)) form.append('images', new Blob([img.bytes]), img.ref);
    form.append('images', new Blob([await faceFreeJpeg()]), 'no-face.jpg');
    const submitted = await fetch(`${gateway.url}/v1/jobs/extract`, { method: 'POST', body: form, headers: { ...user, 'X-Request-Id': batchRequestId } });
    expect(submitted.status).toBe(202);
    expect(submitted.headers.get('x-request-id')).toBe(batchRequestId);
    jobId = ((await submitted.json()) as Json).job_id as string;
    await untilDone(gateway.url, jobId);

    const one = new FormData();
    one.append('image', new Blob([facescrubSample(3)[2]!.bytes]), 'a.jpg');
    const sync = await fetch(`${gateway.url}/api/extract_feature`, { method: 'POST', body: one, headers: { ...user, 'X-Request-Id': syncRequestId } });
    expect(sync.status).toBe(200);
    expect(sync.headers.get('x-request-id')).toBe(syncRequestId);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), worker?.stop()]);
    await ns?.cleanup();
  });

  it('a job shows the request that created it, and the worker logs its jobs with that request id', async () => {
    const job = (await (await fetch(`${gateway.url}/v1/jobs/${jobId}`, { headers: user })).json()) as Json;
    expect(job).toMatchObject({ request_id: batchRequestId, state: 'completed', progress: { total: 3, succeeded: 2, failed: 1 } });

    const batchLines = logLines(worker).filter((l) => l.request_id === batchRequestId);
    expect(batchLines.filter((l) => l.msg === 'job succeeded')).toHaveLength(2);
    expect(batchLines.find((l) => l.msg === 'job failed')).toMatchObject({ level: 'info', code: 'no_face', queue: 'extract', batch_id: jobId, service: 'worker' });
    const syncLines = logLines(worker).filter((l) => l.request_id === syncRequestId);
    expect(syncLines).toEqual([expect.objectContaining({ msg: 'job succeeded', queue: 'extract', job_id: expect.any(String) })]);
    expect(syncLines[0]).not.toHaveProperty('batch_id');

    // The gateway's own request log: one line per request, with the id, the route template and the status.
    const requestLine = logLines(gateway).find((l) => l.msg === 'request' && l.request_id === batchRequestId);
    expect(requestLine).toMatchObject({ level: 'info', method: 'POST', route: '/v1/jobs/extract', status: 202 });
  });

  it('every response carries a request id, errors included; an unsafe one is replaced', async () => {
    const unauthorized = await fetch(`${gateway.url}/v1/collections`, { headers: { 'X-Request-Id': 'caller-401' } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('x-request-id')).toBe('caller-401');
    const missing = await fetch(`${gateway.url}/no/such/route`, { headers: { 'X-Request-Id': 'caller-404' } });
    expect([missing.status, missing.headers.get('x-request-id')]).toEqual([404, 'caller-404']);
    const bad = await fetch(`${gateway.url}/api/compare_features`, { method: 'POST', headers: { ...user, 'content-type': 'application/json', 'X-Request-Id': 'caller-400' }, body: '{"feature1":[1]}' });
    expect([bad.status, bad.headers.get('x-request-id')]).toEqual([400, 'caller-400']);
    const unsafe = await fetch(`${gateway.url}/health`, { headers: { 'X-Request-Id': `x${'y'.repeat(200)}` } });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the gateway serves /metrics without a key: HTTP by route template and status, queue depth per queue, process metrics', async () => {
    const res = await fetch(`${gateway.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sample(text, 'facerec_http_requests_total{method="POST",route="/v1/jobs/extract",status="202"}')).toBe(1);
    expect(sample(text, 'facerec_http_requests_total{method="GET",route="/v1/jobs/{id}",status="200"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'facerec_http_requests_total{method="GET",route="/v1/collections",status="401"}')).toBe(1);
    expect(sample(text, 'facerec_http_request_duration_seconds_count{method="POST",route="/api/extract_feature",status="200"}')).toBe(1);
    for (const queue of ['extract', 'enroll', 'webhook']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) expect(sample(text, `facerec_queue_jobs{queue="${queue}",state="${state}"}`), `${queue} ${state}`).toBeDefined();
    }
    expect(sample(text, 'facerec_queue_jobs{queue="extract",state="waiting"}')).toBe(0);
    expect(sample(text, 'facerec_queue_reachable')).toBe(1);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    // Bounded labels: no job, request or key ever becomes a label value.
    for (const id of [jobId, batchRequestId, syncRequestId, USER_KEY]) expect(text).not.toContain(id);
  });

  it('the worker serves /health and /metrics on its METRICS_PORT: jobs by outcome and code, pipeline stages, faces per image', async () => {
    expect(worker.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${worker.metricsUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ success: true, status: 'ok' });
    const text = await (await fetch(`${worker.metricsUrl}/metrics`)).text();
    expect(sample(text, 'facerec_jobs_total{queue="extract",outcome="succeeded",code="none"}')).toBe(3);
    expect(sample(text, 'facerec_jobs_total{queue="extract",outcome="failed",code="no_face"}')).toBe(1);
    expect(sample(text, 'facerec_batch_items_total{type="extract",status="succeeded",code="none"}')).toBe(2);
    expect(sample(text, 'facerec_batch_items_total{type="extract",status="failed",code="no_face"}')).toBe(1);
    for (const stage of ['decode', 'detect', 'align', 'embed', 'quality']) {
      expect(sample(text, `facerec_pipeline_stage_duration_seconds_count{stage="${stage}"}`), stage).toBe(3);
      expect(sample(text, `facerec_pipeline_stage_duration_seconds_sum{stage="${stage}"}`), stage).toBeGreaterThan(0);
    }
    expect(sample(text, 'facerec_pipeline_faces_per_image_count')).toBe(4);
    expect(sample(text, 'facerec_pipeline_faces_per_image_bucket{le="0"}')).toBe(1);
    expect(sample(text, 'facerec_queue_reachable')).toBe(1);
    expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('gateway and worker export every metric family the service defines (what the Grafana dashboard is checked against)', async () => {
    const served = new Set([
      ...familiesOf(await (await fetch(`${gateway.url}/metrics`)).text()).keys(),
      ...familiesOf(await (await fetch(`${worker.metricsUrl}/metrics`)).text()).keys(),
    ]);
    const defined = familiesOf((await new Metrics().exposition()).body);
    for (const name of defined.keys()) expect(served.has(name), name).toBe(true);
  });

  it('Bull Board at /admin/queues: an admin key opens it (a user key does not), read-only, showing the fleet queues', async () => {
    const anonymous = await fetch(`${gateway.url}/admin/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic');
    expect((await fetch(`${gateway.url}/admin/queues`, { headers: user })).status).toBe(401);

    const page = await fetch(`${gateway.url}/admin/queues`, { headers: admin });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<base href="/admin/queues');
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${gateway.url}/admin/queues/${script}`, { headers: admin })).status).toBe(200);
    expect((await fetch(`${gateway.url}/admin/queues/${script}`)).status).toBe(401);

    const api = await fetch(`${gateway.url}/admin/queues/api/queues?activeQueue=extract&status=completed&page=1`, { headers: admin });
    expect(api.status).toBe(200);
    const { queues } = (await api.json()) as { queues: Json[] };
    expect(queues.map((q) => q.name).sort()).toEqual(['embed', 'enroll', 'extract', 'migrate', 'webhook']);
    const extract = queues.find((q) => q.name === 'extract')!;
    expect(extract.readOnlyMode).toBe(true);
    expect(extract.counts.completed).toBe(3);
    expect(extract.counts.failed).toBe(1);
  });
});

describe('embedded: the in-process queue has no dashboard', () => {
  let svc: ChildService;
  beforeAll(async () => {
    svc = await startChildService({ ADMIN_API_KEYS: ADMIN_KEY }, { until: 'listening' });
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('/admin/queues still needs the admin key, then answers 404 saying why; /metrics reports the in-process queue', async () => {
    expect((await fetch(`${svc.url}/admin/queues`)).status).toBe(401);
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      const res = await fetch(`${svc.url}${path}`, { headers: admin });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ success: false, code: 'queue_dashboard_unavailable', message: expect.stringContaining('REDIS_URL') });
    }
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    expect(sample(text, 'facerec_queue_jobs{queue="extract",state="waiting"}')).toBe(0);
    expect(sample(text, 'facerec_queue_reachable')).toBe(1);
  });
});
