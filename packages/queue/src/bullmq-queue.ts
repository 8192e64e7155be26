import { randomUUID } from 'node:crypto';
import { InternalError, TimeoutError } from '@facerec/errors';
import { Job, Queue, QueueEvents, UnrecoverableError, Worker, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { RedisBlobStore } from './blob-store.ts';
import { JOB_NAMES, jobCatalog, jobPolicy, type BatchJobName, type HandlerJobName, type JobName, type JobPolicyOverrides } from './job-catalog.ts';
import { decodeErrorReason, encodeErrorReason, isEncodedReason, toFaceRecError } from './job-errors.ts';
import type { JobData, JobExecutor } from './job-executor.ts';
import type { ItemJob, JobTransport } from './job-transport.ts';
import { QueueCore, type QueueCoreOptions } from './queue-core.ts';
import type { QueueStats, WorkerHandle, WorkerOptions } from './queue-port.ts';
import { RedisBatchStore } from './redis-batch-store.ts';

/**
 * Crash recovery knobs. A worker holds a lock per job and renews it every lockDuration/2; a SIGKILLed
 * worker's lock expires after `lockDurationMs` and the next stalled check (every `stalledIntervalMs`, run
 * by any live worker) puts the job back in the queue. So a crashed job restarts within about
 * lockDuration + stalledInterval. Defaults (30 s / 15 s) suit the face pipeline, whose attempts take well
 * under a second but may hog a busy host's event loop; tests use ~2 s / 1 s.
 */
export interface StalledSettings {
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Times a job may be recovered from a dead worker before it is failed (then recorded as failed). */
  maxStalledCount?: number;
}

export interface BullmqTransportOptions extends StalledSettings {
  redisUrl: string;
  prefix: string;
  policies: JobPolicyOverrides | undefined;
  onError: (err: unknown) => void;
}

function jobOptions(name: JobName, policies: JobPolicyOverrides | undefined): JobsOptions {
  const policy = jobPolicy(name, policies);
  const def = jobCatalog[name];
  return {
    attempts: policy.attempts,
    backoff: { type: policy.backoff.type, delay: policy.backoff.delayMs },
    removeOnComplete: { age: def.removeOnComplete.ageSeconds, count: def.removeOnComplete.count },
    removeOnFail: { age: def.removeOnFail.ageSeconds, count: def.removeOnFail.count },
  };
}

/** BullMQ job ids may not contain ':' (it is BullMQ's key separator). */
function itemJobId(batchId: string, index: number): string {
  return `${batchId}-${index}`;
}

export class BullmqTransport implements JobTransport {
  readonly mode = 'bullmq' as const;
  private readonly bullPrefix: string;
  private readonly queues: Record<JobName, Queue>;
  private readonly events = new Map<HandlerJobName, Promise<QueueEvents>>();
  private readonly opts: BullmqTransportOptions;

  constructor(opts: BullmqTransportOptions) {
    this.opts = opts;
    // BullMQ joins prefix and queue name with ':', so keys land under `<prefix>bull:<queue>:`.
    this.bullPrefix = `${opts.prefix}bull`;
    const connection = { url: opts.redisUrl };
    this.queues = {
      extract: new Queue('extract', { connection, prefix: this.bullPrefix }),
      embed: new Queue('embed', { connection, prefix: this.bullPrefix }),
      enroll: new Queue('enroll', { connection, prefix: this.bullPrefix }),
      webhook: new Queue('webhook', { connection, prefix: this.bullPrefix }),
    };
    for (const q of Object.values(this.queues)) q.on('error', opts.onError);
  }

  async enqueueItems(name: HandlerJobName, batchId: string, items: ItemJob[]): Promise<void> {
    const opts = jobOptions(name, this.opts.policies);
    await this.queues[name].addBulk(items.map((item) => ({ name, data: item.data, opts: { ...opts, jobId: itemJobId(batchId, item.index) } })));
  }

  async enqueueWebhook(batchId: string): Promise<void> {
    // The job id makes a second enqueue for the same batch a no-op.
    await this.queues.webhook.add('webhook', { payload: { batchId } } satisfies JobData, {
      ...jobOptions('webhook', this.opts.policies),
      jobId: `webhook-${batchId}`,
    });
  }

  async removeItems(name: BatchJobName, batchId: string, indices: number[]): Promise<number[]> {
    const removed: number[] = [];
    for (const index of indices) {
      // 0 means a worker holds the job's lock: it is running and will record its own outcome.
      if ((await this.queues[name].remove(itemJobId(batchId, index))) === 1) removed.push(index);
    }
    return removed;
  }

  async waitingCount(name: HandlerJobName): Promise<number> {
    const counts = await this.queues[name].getJobCounts('waiting', 'prioritized', 'delayed');
    return (counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0) + (counts['delayed'] ?? 0);
  }

  async runJob(name: HandlerJobName, data: JobData, timeoutMs: number): Promise<unknown> {
    const events = await this.queueEvents(name);
    const job = await this.queues[name].add(name, data, { ...jobOptions(name, this.opts.policies), jobId: randomUUID() });
    try {
      return await job.waitUntilFinished(events, timeoutMs);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (message.includes('timed out before finishing')) {
        throw new TimeoutError(`Job ${job.id} did not finish within ${timeoutMs} ms; it keeps running`);
      }
      throw decodeErrorReason(message);
    }
  }

  async startWorker(executor: JobExecutor, opts: WorkerOptions): Promise<WorkerHandle> {
    const workers = JOB_NAMES.filter((name) => executor.handles(name)).map((queueName) => {
      const worker = new Worker(
        queueName,
        async (job: Job) => {
          try {
            return await executor.execute(queueName, job.data as JobData, {
              jobId: String(job.id),
              attempt: job.attemptsMade + 1,
              maxAttempts: job.opts.attempts ?? 1,
              updateProgress: (p) => job.updateProgress(p),
            });
          } catch (err) {
            const error = toFaceRecError(err);
            // The reason carries {name, code, status} so runJob callers get the handler's own error class back.
            const reason = encodeErrorReason(error);
            throw error.permanent ? new UnrecoverableError(reason) : new Error(reason, { cause: err });
          }
        },
        {
          connection: { url: this.opts.redisUrl },
          prefix: this.bullPrefix,
          concurrency: queueName === 'webhook' ? Math.max(4, opts.concurrency ?? 1) : (opts.concurrency ?? 1),
          lockDuration: this.opts.lockDurationMs ?? 30_000,
          stalledInterval: this.opts.stalledIntervalMs ?? 15_000,
          maxStalledCount: this.opts.maxStalledCount ?? 2,
        },
      );
      worker.on('error', this.opts.onError);
      // BullMQ fails a job that stalled more than maxStalledCount times without calling the processor
      // (the reason has no marker of ours): record it here so its batch still finishes.
      worker.on('failed', (job, err) => {
        if (!job || isEncodedReason(err.message)) return;
        void this.recordIfFailed(queueName, job, err, executor).catch(this.opts.onError);
      });
      return worker;
    });
    await Promise.all(workers.map((w) => w.waitUntilReady()));
    return { close: async () => void (await Promise.all(workers.map((w) => w.close()))) };
  }

  private async recordIfFailed(queueName: JobName, job: Job, err: Error, executor: JobExecutor): Promise<void> {
    if (await job.isFailed()) {
      await executor.finalFailure(queueName, job.data as JobData, new InternalError(`Job failed in the queue: ${err.message}`));
    }
  }

  async stats(): Promise<QueueStats> {
    const all = await Promise.all(
      [this.queues.extract, this.queues.enroll].map((q) => q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed')),
    );
    const sum = (...keys: string[]) => all.reduce((n, c) => n + keys.reduce((m, k) => m + (c[k] ?? 0), 0), 0);
    return { waiting: sum('waiting', 'prioritized'), active: sum('active'), delayed: sum('delayed'), completed: sum('completed'), failed: sum('failed') };
  }

  async close(): Promise<void> {
    const events = [...this.events.values()];
    this.events.clear();
    await Promise.all([...Object.values(this.queues).map((q) => q.close()), ...events.map((e) => e.then((ev) => ev.close()))]);
  }

  private queueEvents(name: HandlerJobName): Promise<QueueEvents> {
    let events = this.events.get(name);
    if (!events) {
      events = (async () => {
        const ev = new QueueEvents(name, { connection: { url: this.opts.redisUrl }, prefix: this.bullPrefix });
        ev.on('error', this.opts.onError);
        await ev.waitUntilReady();
        return ev;
      })();
      this.events.set(name, events);
    }
    return events;
  }
}

export interface BullmqQueueOptions extends QueueCoreOptions, StalledSettings {
  redisUrl: string;
  prefix: string;
  onError: (err: unknown) => void;
}

export function createBullmqQueue(opts: BullmqQueueOptions): QueueCore {
  // Commands wait through a Redis restart instead of failing after a few retries: accepted work must land.
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', opts.onError);
  const transport = new BullmqTransport({
    redisUrl: opts.redisUrl,
    prefix: opts.prefix,
    policies: opts.policies,
    onError: opts.onError,
    lockDurationMs: opts.lockDurationMs,
    stalledIntervalMs: opts.stalledIntervalMs,
    maxStalledCount: opts.maxStalledCount,
  });
  return new QueueCore(
    transport,
    new RedisBatchStore(redis, opts.prefix, opts.retentionMs),
    new RedisBlobStore(redis, opts.prefix),
    opts,
    async () => void (await redis.quit()),
  );
}
