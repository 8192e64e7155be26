import { randomUUID } from 'node:crypto';
import { TimeoutError } from '@facerec/errors';
import { MemoryBlobStore } from './blob-store.ts';
import { backoffDelay, JOB_NAMES, jobPolicy, type BatchJobName, type HandlerJobName, type JobName, type JobPolicyOverrides } from './job-catalog.ts';
import { toFaceRecError } from './job-errors.ts';
import type { JobData, JobExecutor } from './job-executor.ts';
import type { ItemJob, JobTransport } from './job-transport.ts';
import { MemoryBatchStore } from './memory-batch-store.ts';
import { QueueCore, type QueueCoreOptions } from './queue-core.ts';
import type { QueueStats, WorkerHandle, WorkerOptions } from './queue-port.ts';

interface MemoryJob {
  id: string;
  name: JobName;
  data: JobData;
  attemptsMade: number;
  /** Settles when the job ends for good, for runJob callers. */
  done?: { resolve: (v: unknown) => void; reject: (e: unknown) => void };
}

interface MemoryWorker {
  executor: JobExecutor;
  concurrency: number;
  running: Map<JobName, number>;
  inFlight: Set<Promise<void>>;
  closing: boolean;
}

/**
 * Single-process stand-in for BullMQ with the same observable behaviour: FIFO per queue, bounded
 * concurrency per worker, retries with the catalog's backoff, permanent errors fail at once, nothing
 * runs until a worker is started. Accepted jobs live only in memory, so they die with the process.
 */
export class InProcessTransport implements JobTransport {
  readonly mode = 'in-process' as const;
  private readonly waiting: Record<JobName, MemoryJob[]> = { extract: [], embed: [], enroll: [], webhook: [] };
  private readonly delayed = new Map<string, { job: MemoryJob; timer: NodeJS.Timeout }>();
  private readonly workers = new Set<MemoryWorker>();
  private readonly webhooksEnqueued = new Set<string>();
  private completed = 0;
  private failed = 0;

  private readonly policies: JobPolicyOverrides | undefined;

  constructor(policies: JobPolicyOverrides | undefined) {
    this.policies = policies;
  }

  async enqueueItems(name: HandlerJobName, batchId: string, items: ItemJob[]): Promise<void> {
    for (const item of items) this.waiting[name].push({ id: `${batchId}-${item.index}`, name, data: item.data, attemptsMade: 0 });
    this.pump();
  }

  async enqueueWebhook(batchId: string): Promise<void> {
    // Same rule as the BullMQ job id: one webhook job per batch, however often it is announced.
    if (this.webhooksEnqueued.has(batchId)) return;
    this.webhooksEnqueued.add(batchId);
    this.waiting.webhook.push({ id: `webhook-${batchId}`, name: 'webhook', data: { payload: { batchId } }, attemptsMade: 0 });
    this.pump();
  }

  async removeItems(name: BatchJobName, batchId: string, indices: number[]): Promise<number[]> {
    const wanted = new Map(indices.map((i) => [`${batchId}-${i}`, i]));
    const removed: number[] = [];
    this.waiting[name] = this.waiting[name].filter((job) => {
      const index = wanted.get(job.id);
      if (index === undefined) return true;
      removed.push(index);
      return false;
    });
    for (const [id, index] of wanted) {
      const entry = this.delayed.get(id);
      if (!entry) continue;
      clearTimeout(entry.timer);
      this.delayed.delete(id);
      removed.push(index);
    }
    return removed;
  }

  async waitingCount(name: HandlerJobName): Promise<number> {
    return this.waiting[name].length + [...this.delayed.values()].filter((d) => d.job.name === name).length;
  }

  runJob(name: HandlerJobName, data: JobData, timeoutMs: number): Promise<unknown> {
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new TimeoutError(`Job ${id} did not finish within ${timeoutMs} ms; it keeps running`)), timeoutMs);
      const settle = <T>(fn: (v: T) => void) => (v: T) => {
        clearTimeout(timer);
        fn(v);
      };
      this.waiting[name].push({ id, name, data, attemptsMade: 0, done: { resolve: settle(resolve), reject: settle(reject) } });
      this.pump();
    });
  }

  async startWorker(executor: JobExecutor, opts: WorkerOptions): Promise<WorkerHandle> {
    const worker: MemoryWorker = { executor, concurrency: opts.concurrency ?? 1, running: new Map(), inFlight: new Set(), closing: false };
    this.workers.add(worker);
    this.pump();
    return {
      close: async () => {
        worker.closing = true;
        this.workers.delete(worker);
        await Promise.all(worker.inFlight);
      },
    };
  }

  async stats(): Promise<QueueStats> {
    let active = 0;
    for (const w of this.workers) active += (w.running.get('extract') ?? 0) + (w.running.get('enroll') ?? 0);
    return {
      waiting: this.waiting.extract.length + this.waiting.enroll.length,
      active,
      delayed: [...this.delayed.values()].filter((d) => d.job.name !== 'webhook').length,
      completed: this.completed,
      failed: this.failed,
    };
  }

  async close(): Promise<void> {
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
  }

  /** Hands waiting jobs to workers with free slots; webhooks get their own slots, as BullMQ's separate queue does. */
  private pump(): void {
    for (const worker of this.workers) {
      if (worker.closing) continue;
      for (const name of JOB_NAMES) {
        if (!worker.executor.handles(name)) continue;
        const limit = name === 'webhook' ? Math.max(4, worker.concurrency) : worker.concurrency;
        while ((worker.running.get(name) ?? 0) < limit) {
          const job = this.waiting[name].shift();
          if (!job) break;
          worker.running.set(name, (worker.running.get(name) ?? 0) + 1);
          const run = this.run(worker, job).finally(() => {
            worker.running.set(name, (worker.running.get(name) ?? 1) - 1);
            worker.inFlight.delete(run);
            this.pump();
          });
          worker.inFlight.add(run);
        }
      }
    }
  }

  private async run(worker: MemoryWorker, job: MemoryJob): Promise<void> {
    const policy = jobPolicy(job.name, this.policies);
    try {
      const result = await worker.executor.execute(job.name, job.data, {
        jobId: job.id,
        attempt: job.attemptsMade + 1,
        maxAttempts: policy.attempts,
        updateProgress: async () => {},
      });
      this.completed += 1;
      job.done?.resolve(result);
    } catch (err) {
      const error = toFaceRecError(err);
      job.attemptsMade += 1;
      if (error.permanent || job.attemptsMade >= policy.attempts) {
        this.failed += 1;
        job.done?.reject(error);
        return;
      }
      const timer = setTimeout(() => {
        this.delayed.delete(job.id);
        this.waiting[job.name].push(job);
        this.pump();
      }, backoffDelay(policy.backoff, job.attemptsMade));
      this.delayed.set(job.id, { job, timer });
    }
  }
}

export interface InProcessQueueOptions extends QueueCoreOptions {
  prefix: string;
}

export function createInProcessQueue(opts: InProcessQueueOptions, deps: { blobs?: MemoryBlobStore } = {}): QueueCore {
  const transport = new InProcessTransport(opts.policies);
  const blobs = deps.blobs ?? new MemoryBlobStore(opts.prefix);
  return new QueueCore(transport, new MemoryBatchStore(opts.retentionMs), blobs, opts, async () => blobs.clear());
}
