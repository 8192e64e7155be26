import { type FaceRecError, InternalError, isFaceRecError } from '@facerec/errors';
import { type Logger, withLogContext } from '@facerec/logger';
import type { Handler, HandlerJobName, Handlers, JobContext } from '@facerec/queue';
import { boundedCode } from './labels.ts';
import type { Metrics } from './metrics.ts';

/** What a job's outcome tells beyond its timing (the pipeline's stage timings, say). */
export interface JobObserver {
  succeeded?(result: Record<string, unknown>): void;
  failed?(error: FaceRecError): void;
}

export interface InstrumentOptions {
  metrics: Metrics;
  logger: Logger;
  observers?: Partial<Record<HandlerJobName, JobObserver>>;
}

function asFaceRecError(err: unknown): FaceRecError {
  return isFaceRecError(err) ? err : new InternalError(err instanceof Error ? err.message : String(err), { cause: err });
}

/**
 * Wraps each handler so every attempt is timed and counted by outcome and error code, and every line logged
 * while it runs (its own and its callees') carries the job id and the id of the request that created it. The
 * attempt is judged as the queue will judge it: a permanent error, or a last attempt, fails the job; anything
 * else is retried.
 */
export function instrumentHandlers(handlers: Handlers, opts: InstrumentOptions): Handlers {
  const wrapped: Handlers = {};
  for (const name of Object.keys(handlers) as HandlerJobName[]) {
    const handler = handlers[name] as Handler<HandlerJobName> | undefined;
    if (!handler) continue;
    const run: Handler<HandlerJobName> = (payload, ctx) =>
      withLogContext(
        { request_id: ctx.requestId, job_id: ctx.jobId, queue: name, ...(ctx.batch ? { batch_id: ctx.batch.id, item: ctx.batch.index } : {}) },
        () => timed(name, handler, payload, ctx, opts),
      );
    (wrapped as Record<HandlerJobName, Handler<HandlerJobName>>)[name] = run;
  }
  return wrapped;
}

async function timed(
  name: HandlerJobName,
  handler: Handler<HandlerJobName>,
  payload: Parameters<Handler<HandlerJobName>>[0],
  ctx: JobContext,
  { metrics, logger, observers }: InstrumentOptions,
) {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const item = (status: 'succeeded' | 'failed', code?: string) => {
    if (!ctx.batch) return;
    metrics.batchItems.inc({ type: name, status, code: boundedCode(code) });
    metrics.batchItemDuration.observe({ type: name, status }, Math.max(0, (Date.now() - ctx.batch.createdAt) / 1000));
  };
  try {
    const result = await handler(payload, ctx);
    // The queue gave up on this attempt when its time ran out; finishing later does not make it a success.
    if (ctx.signal.aborted) throw ctx.signal.reason ?? new InternalError('Job attempt aborted');
    metrics.jobs.inc({ queue: name, outcome: 'succeeded', code: 'none' });
    metrics.jobDuration.observe({ queue: name, outcome: 'succeeded' }, seconds());
    item('succeeded');
    observers?.[name]?.succeeded?.(result);
    logger.debug('job succeeded', { attempt: ctx.attempt, duration_ms: Math.round(seconds() * 1000) });
    return result;
  } catch (err) {
    const error = asFaceRecError(err);
    const final = error.permanent || ctx.attempt >= ctx.maxAttempts;
    const outcome = final ? 'failed' : 'retried';
    metrics.jobs.inc({ queue: name, outcome, code: boundedCode(error.code) });
    metrics.jobDuration.observe({ queue: name, outcome }, seconds());
    if (final) item('failed', error.code);
    observers?.[name]?.failed?.(error);
    const fields = { attempt: ctx.attempt, max_attempts: ctx.maxAttempts, code: error.code, error: error.message, duration_ms: Math.round(seconds() * 1000) };
    // A photo without a face is an answer, not an incident; our own faults and retries are worth a look.
    if (error.permanent) logger.info('job failed', fields);
    else logger.warn(final ? 'job failed' : 'job attempt failed; it will be retried', fields);
    throw err;
  }
}
