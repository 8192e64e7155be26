import { randomUUID } from 'node:crypto';
import { InternalError, ServiceUnavailableError, TimeoutError } from '@facerec/errors';
import { patientOptions, RedisLink } from '@facerec/redis';
import { Job, Queue, QueueEvents, UnrecoverableError, Worker, type JobsOptions, type QueueOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { RedisBlobStore } from './blob-store.ts';
import { JOB_NAMES, jobCatalog, jobPolicy, type BatchJobName, type HandlerJobName, type JobName, type JobPolicyOverrides } from './job-catalog.ts';
import { decodeErrorReason, encodeErrorReason, isEncodedReason, toFaceRecError } from './job-errors.ts';
import type { JobData, JobExecutor } from './job-executor.ts';
import type { ItemJob, JobTransport } from './job-transport.ts';
import { QueueCore, type QueueCoreOptions } from './queue-core.ts';
import type { QueueCounts, QueueLog, QueueStats, WorkerHandle, WorkerOptions } from './queue-port.ts';
import { toQueueStats } from './queue-stats.ts';
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
  /** The fail-fast connection the producers share (request path). */
  requestConnection: Redis;
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

/**
 * BullMQ's own key prefix for a QUEUE_PREFIX. BullMQ joins it and the queue name with ':', so queue `extract`
 * lives under `<QUEUE_PREFIX>bull:extract:` and its waiting jobs are the list `<QUEUE_PREFIX>bull:extract:wait`
 * (what an autoscaler watches).
 */
export function bullmqPrefix(queuePrefix: string): string {
  return `${queuePrefix}bull`;
}

/** The Redis list of a queue's waiting jobs (BullMQ's `wait` key); prioritized jobs wait in a sorted set instead. */
export function bullmqWaitListKey(queuePrefix: string, queue: JobName): string {
  return `${bullmqPrefix(queuePrefix)}:${queue}:wait`;
}

/** A BullMQ queue handle, for tools that read the queues directly. */
export type BullmqQueueHandle = Queue;

/**
 * Producer-side BullMQ handles on every queue, for this transport and for tools that read the queues
 * directly (the admin dashboard). The caller closes them.
 */
export function openBullmqQueues(connection: QueueOptions['connection'], queuePrefix: string): Record<JobName, BullmqQueueHandle> {
  const opts = { connection, prefix: bullmqPrefix(queuePrefix) };
  return { extract: new Queue('extract', opts), embed: new Queue('embed', opts), enroll: new Queue('enroll', opts), migrate: new Queue('migrate', opts), webhook: new Queue('webhook', opts) };
}

export class BullmqTransport implements JobTransport {
  readonly mode = 'bullmq' as const;
  private readonly bullPrefix: string;
  /** Producers for waiting callers, on the fail-fast connection. */
  private readonly queues: Record<JobName, Queue>;
  /** Webhooks announced by workers when a batch ends: on a connection that waits out an outage. */
  private readonly workerWebhooks: Queue;
  private readonly events = new Map<HandlerJobName, Promise<QueueEvents>>();
  private readonly opts: BullmqTransportOptions;

  constructor(opts: BullmqTransportOptions) {
    this.opts = opts;
    this.bullPrefix = bullmqPrefix(opts.prefix);
    this.queues = openBullmqQueues(opts.requestConnection, opts.prefix);
    this.workerWebhooks = new Queue('webhook', { connection: this.patient(), prefix: this.bullPrefix });
    for (const q of [...Object.values(this.queues), this.workerWebhooks]) q.on('error', opts.onError);
  }

  /** Options for a connection of BullMQ's own that waits through an outage (workers, events, worker-side producers). */
  private patient() {
    return { url: this.opts.redisUrl, ...patientOptions() };
  }

  async enqueueItems(name: HandlerJobName, batchId: string, items: ItemJob[]): Promise<void> {
    const opts = jobOptions(name, this.opts.policies);
    await this.queues[name].addBulk(items.map((item) => ({ name, data: item.data, opts: { ...opts, jobId: itemJobId(batchId, item.index) } })));
  }

  /** `fromWorker`: announced by a worker as its item finished the batch, which must land even during an outage. */
  async enqueueWebhook(batchId: string, fromWorker = false): Promise<void> {
    // The job id makes a second enqueue for the same batch a no-op.
    await (fromWorker ? this.workerWebhooks : this.queues.webhook).add('webhook', { payload: { batchId } } satisfies JobData, {
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
          connection: this.patient(),
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
    const counts = await Promise.all(
      JOB_NAMES.map(async (name): Promise<[JobName, QueueCounts]> => {
        const c = await this.queues[name].getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
        const n = (k: string) => c[k] ?? 0;
        return [name, { waiting: n('waiting') + n('prioritized'), active: n('active'), delayed: n('delayed'), completed: n('completed'), failed: n('failed') }];
      }),
    );
    return toQueueStats(Object.fromEntries(counts) as Record<JobName, QueueCounts>);
  }

  async close(): Promise<void> {
    const events = [...this.events.values()];
    this.events.clear();
    await Promise.all([...Object.values(this.queues), this.workerWebhooks].map((q) => q.close()));
    await Promise.all(events.map((e) => e.then((ev) => ev.close())));
  }

  private queueEvents(name: HandlerJobName): Promise<QueueEvents> {
    let events = this.events.get(name);
    if (!events) {
      events = (async () => {
        const ev = new QueueEvents(name, { connection: this.patient(), prefix: this.bullPrefix });
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
  /** How long a waiting caller gives an unresponsive Redis before answering 503 queue_unavailable. */
  redisTimeoutMs: number;
  onError: (err: unknown) => void;
  log: QueueLog;
}

const LOCK_LOST = /could not renew lock|Missing lock for job|Lock mismatch for job/;

/**
 * Two connections to the same Redis: the request path's fails fast (a caller gets 503 queue_unavailable within
 * about `redisTimeoutMs` of an outage, and at once while it lasts), the workers' waits it out, so an item that
 * finished during an outage is still recorded when Redis returns instead of burning an attempt. Reachability
 * is logged once per change, not once per reconnect attempt.
 */
export function createBullmqQueue(opts: BullmqQueueOptions): QueueCore {
  const link = new RedisLink({
    url: opts.redisUrl,
    timeoutMs: opts.redisTimeoutMs,
    onChange: (state) =>
      state.up ? opts.log.info('queue: Redis reachable again') : opts.log.error('queue: Redis unreachable; requests that need the queue answer 503', { reason: state.reason }),
  });
  const onError = (err: unknown) => {
    if (link.absorbs(err)) return;
    // What an outage leaves behind in each job that was running: BullMQ hands the job to the stalled check,
    // which runs it again, and its outcome is still recorded once. Expected, so not an error line per job.
    if (err instanceof Error && LOCK_LOST.test(err.message)) {
      opts.log.info('queue: a running job lost its lock; it will run again', { error: err.message });
      return;
    }
    opts.onError(err);
  };
  const patient = new Redis(opts.redisUrl, patientOptions());
  patient.on('error', onError);
  const transport = new BullmqTransport({
    redisUrl: opts.redisUrl,
    prefix: opts.prefix,
    policies: opts.policies,
    onError,
    requestConnection: link.client,
    lockDurationMs: opts.lockDurationMs,
    stalledIntervalMs: opts.stalledIntervalMs,
    maxStalledCount: opts.maxStalledCount,
  });
  const request = {
    store: new RedisBatchStore(link.client, opts.prefix, opts.retentionMs),
    blobs: new RedisBlobStore(link.client, opts.prefix),
    enqueueWebhook: (id: string) => transport.enqueueWebhook(id),
  };
  const worker = {
    store: new RedisBatchStore(patient, opts.prefix, opts.retentionMs),
    blobs: new RedisBlobStore(patient, opts.prefix),
    enqueueWebhook: (id: string) => transport.enqueueWebhook(id, true),
  };
  return new QueueCore(transport, { request, worker }, opts, {
    guard: (op) => link.guard(op, (reason) => new ServiceUnavailableError(`The job queue (Redis) is unavailable: ${reason}`, 'queue_unavailable')),
    onClose: async () => {
      await patient.quit();
      await link.close();
    },
  });
}
