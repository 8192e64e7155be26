import { NoFaceError, ServiceUnavailableError } from '@facerec/errors';
import { type Logger, logContext } from '@facerec/logger';
import { createJobQueue, type JobQueue } from '@facerec/queue';
import { afterEach, expect, it, vi } from 'vitest';
import { instrumentHandlers } from './job-instrumentation.ts';
import { Metrics } from './metrics.ts';
import { pipelineObserver } from './pipeline-observer.ts';
import { sampleValue } from './test-support.ts';

const lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = [];
// Keeps lines with the surrounding context merged in, as createLogger writes them.
const keep = (level: string) => (msg: string, fields: Record<string, unknown> = {}) => void lines.push({ level, msg, fields: { ...logContext(), ...fields } });
const logger: Logger = { debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };

let queue: JobQueue | undefined;
afterEach(async () => {
  await queue?.close();
  lines.length = 0;
});

function queueWithFastRetries(): JobQueue {
  return createJobQueue({ maxWaiting: 100, webhookSecret: '', policies: { extract: { backoff: { type: 'fixed', delayMs: 5 } } } });
}

it('counts attempts by outcome and code, times them, and counts batch items once, when they end', async () => {
  const metrics = new Metrics({ defaultMetrics: false });
  queue = queueWithFastRetries();
  const attempts = new Map<string, number>();
  await queue.startWorker(
    instrumentHandlers(
      {
        extract: async (payload, ctx) => {
          const tag = (await ctx.readBlob(payload.blobKey)).toString();
          attempts.set(tag, (attempts.get(tag) ?? 0) + 1);
          if (tag === 'noface') throw new NoFaceError();
          if (tag === 'flaky' && ctx.attempt === 1) throw new ServiceUnavailableError('busy');
          logger.info('working', { tag });
          return { faces: [], timings_ms: { decode: 12, detect: 8, align: 1, embed: 4, quality: 0.1, made_up: 3 }, face_count: 2 };
        },
      },
      { metrics, logger, observers: { extract: pipelineObserver(metrics) } },
    ),
  );
  const { batch } = await queue.submitBatch({
    type: 'extract',
    items: ['ok', 'noface', 'flaky'].map((t) => ({ ref: t, image: Buffer.from(t) })),
    options: {},
    requestId: 'req-42',
  });
  await vi.waitFor(async () => expect((await queue!.getBatch(batch.id)).finished_at).not.toBeNull(), { timeout: 10_000, interval: 10 });

  expect(await sampleValue(metrics, 'facerec_jobs_total', { queue: 'extract', outcome: 'succeeded', code: 'none' })).toBe(2);
  expect(await sampleValue(metrics, 'facerec_jobs_total', { queue: 'extract', outcome: 'failed', code: 'no_face' })).toBe(1);
  expect(await sampleValue(metrics, 'facerec_jobs_total', { queue: 'extract', outcome: 'retried', code: 'unavailable' })).toBe(1);
  expect(await sampleValue(metrics, 'facerec_job_duration_seconds', { queue: 'extract', outcome: 'succeeded' }, '_count')).toBe(2);
  // Items: the flaky one counts once, as succeeded, after its retry.
  expect(await sampleValue(metrics, 'facerec_batch_items_total', { type: 'extract', status: 'succeeded', code: 'none' })).toBe(2);
  expect(await sampleValue(metrics, 'facerec_batch_items_total', { type: 'extract', status: 'failed', code: 'no_face' })).toBe(1);
  expect(await sampleValue(metrics, 'facerec_batch_item_duration_seconds', { type: 'extract', status: 'succeeded' }, '_count')).toBe(2);

  // Pipeline: known stages only, in seconds; faces per image including the image without a face.
  expect(await sampleValue(metrics, 'facerec_pipeline_stage_duration_seconds', { stage: 'decode' }, '_sum')).toBeCloseTo(0.024);
  expect(await sampleValue(metrics, 'facerec_pipeline_stage_duration_seconds', { stage: 'decode' }, '_count')).toBe(2);
  const exposition = (await metrics.exposition()).body;
  expect(exposition).not.toContain('made_up');
  expect(await sampleValue(metrics, 'facerec_pipeline_faces_per_image', {}, '_count')).toBe(3);
  expect(await sampleValue(metrics, 'facerec_pipeline_faces_per_image', {}, '_sum')).toBe(4);

  // Every line logged while a job ran names the request that created it and the job.
  const working = lines.filter((l) => l.msg === 'working');
  expect(working).toHaveLength(2);
  for (const l of working) expect(l.fields).toMatchObject({ request_id: 'req-42', queue: 'extract', batch_id: batch.id });
  expect(lines.find((l) => l.msg === 'job failed')).toMatchObject({ level: 'info', fields: { code: 'no_face', request_id: 'req-42' } });
  expect(lines.find((l) => l.msg.startsWith('job attempt failed'))).toMatchObject({ level: 'warn', fields: { code: 'unavailable', attempt: 1 } });
});

it('an attempt that outlives its timeout is a failure, not a success', async () => {
  const metrics = new Metrics({ defaultMetrics: false });
  queue = createJobQueue({ maxWaiting: 100, webhookSecret: '', policies: { extract: { timeoutMs: 50, attempts: 1 } } });
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let finished!: () => void;
  const handlerDone = new Promise<void>((r) => (finished = r));
  await queue.startWorker(
    instrumentHandlers(
      {
        extract: async (_p, ctx) => {
          await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r()));
          release();
          queueMicrotask(finished);
          return { late: true };
        },
      },
      { metrics, logger },
    ),
  );
  await expect(queue.runJob('extract', { blobKey: await queue.putBlob(Buffer.from('x')), options: {} }, { timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'timeout' });
  await gate;
  await handlerDone;
  await vi.waitFor(async () => expect(await sampleValue(metrics, 'facerec_jobs_total', { queue: 'extract', outcome: 'failed', code: 'timeout' })).toBe(1));
  expect(await sampleValue(metrics, 'facerec_jobs_total', { queue: 'extract', outcome: 'succeeded', code: 'none' })).toBeUndefined();
});
