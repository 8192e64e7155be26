import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { TimeoutError } from '@facerec/errors';
import { MemoryBlobStore } from './blob-store.ts';
import { FileBlobStore } from './file-blob-store.ts';
import { backoffDelay, JOB_NAMES, jobPolicy, type BatchJobName, type HandlerJobName, type JobName, type JobPolicyOverrides } from './job-catalog.ts';
import { toFaceRecError } from './job-errors.ts';
import type { JobData, JobExecutor } from './job-executor.ts';
import type { ItemJob, JobTransport } from './job-transport.ts';
import { QueueCore, type QueueCoreOptions } from './queue-core.ts';
import type { QueueCounts, QueueLog, QueueStats, WorkerHandle, WorkerOptions } from './queue-port.ts';
import { toQueueStats } from './queue-stats.ts';
import { resumeInterrupted } from './resume-interrupted.ts';
import { SqliteBatchStore } from './sqlite-batch-store.ts';

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
 * runs until a worker is started. The job list itself is memory: with a data directory, what survives a
 * crash is the batch store, from which a restart re-enqueues every unfinished item (resume-interrupted.ts).
 */
export class InProcessTransport implements JobTransport {
  readonly mode = 'in-process' as const;
  private readonly waiting: Record<JobName, MemoryJob[]> = { extract: [], embed: [], enroll: [], migrate: [], webhook: [] };
  private readonly delayed = new Map<string, { job: MemoryJob; timer: NodeJS.Timeout }>();
  private readonly workers = new Set<MemoryWorker>();
  private readonly webhooksEnqueued = new Set<string>();
  private readonly finished: Record<JobName, { completed: number; failed: number }> = {
    extract: { completed: 0, failed: 0 },
    embed: { completed: 0, failed: 0 },
    enroll: { completed: 0, failed: 0 },
    migrate: { completed: 0, failed: 0 },
    webhook: { completed: 0, failed: 0 },
  };

  private readonly policies: JobPolicyOverrides | undefined;

  constructor(policies: JobPolicyOverrides | undefined) {
    this.policies = policies;
  }

  async enqueueItems(name: HandlerJobName, batchId: string, items: ItemJob[]): Promise<void> {
    for (const item of items) this.waiting[name].push({ id: `${batchId}-${item.index}`, name, data: item.data, attemptsMade: 0 });
    this.pump();
  }

  /** `attemptsMade`: deliveries a process before this one already tried (see resume-interrupted.ts). */
  async enqueueWebhook(batchId: string, attemptsMade = 0): Promise<void> {
    // Same rule as the BullMQ job id: one webhook job per batch, however often it is announced.
    if (this.webhooksEnqueued.has(batchId)) return;
    this.webhooksEnqueued.add(batchId);
    this.waiting.webhook.push({ id: `webhook-${batchId}`, name: 'webhook', data: { payload: { batchId } }, attemptsMade });
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
    const counts = (name: JobName): QueueCounts => {
      let active = 0;
      for (const w of this.workers) active += w.running.get(name) ?? 0;
      return {
        waiting: this.waiting[name].length,
        active,
        delayed: [...this.delayed.values()].filter((d) => d.job.name === name).length,
        // Since start: nothing is retained in memory once a job ends.
        ...this.finished[name],
      };
    };
    return toQueueStats({ extract: counts('extract'), embed: counts('embed'), enroll: counts('enroll'), migrate: counts('migrate'), webhook: counts('webhook') });
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
      this.finished[job.name].completed += 1;
      job.done?.resolve(result);
    } catch (err) {
      const error = toFaceRecError(err);
      job.attemptsMade += 1;
      if (error.permanent || job.attemptsMade >= policy.attempts) {
        this.finished[job.name].failed += 1;
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
  /**
   * Set: batches, item results, idempotency keys and batch uploads live under `<dataDir>/queue` (SQLite and
   * one file per image), and a restart resumes what a crash interrupted. Unset: memory only (tests, tools).
   */
  dataDir?: string | undefined;
  log: QueueLog;
}

export interface InProcessQueue {
  queue: QueueCore;
  /** Image blobs held (memory and disk), for tests. */
  heldBlobs(): number;
}

export function createInProcessQueue(opts: InProcessQueueOptions): InProcessQueue {
  const transport = new InProcessTransport(opts.policies);
  if (!opts.dataDir) {
    const blobs = new MemoryBlobStore(opts.prefix);
    const side = { store: new SqliteBatchStore(':memory:', opts.retentionMs), blobs, enqueueWebhook: (id: string) => transport.enqueueWebhook(id) };
    const queue = new QueueCore(transport, { request: side, worker: side }, opts, {
      onClose: async () => {
        blobs.clear();
        side.store.close();
      },
    });
    return { queue, heldBlobs: () => blobs.size };
  }
  const dir = join(opts.dataDir, 'queue');
  const store = new SqliteBatchStore(join(dir, 'jobs.sqlite'), opts.retentionMs);
  const blobs = new FileBlobStore(join(dir, 'blobs'), opts.prefix);
  const side = { store, blobs, enqueueWebhook: (id: string) => transport.enqueueWebhook(id) };
  const resumed = resumeInterrupted({ store, blobs, transport, policies: opts.policies }).then(
    (report) => {
      if (report.items + report.webhooks + report.sweptBlobs > 0) opts.log.info('job queue: resumed work interrupted by a stop', { ...report });
    },
    (err: unknown) => opts.log.error('job queue: resuming interrupted work failed', { error: err instanceof Error ? err.message : String(err) }),
  );
  const queue = new QueueCore(transport, { request: side, worker: side }, opts, {
    onClose: async () => {
      await resumed;
      blobs.close();
      store.close();
    },
  });
  return { queue, heldBlobs: () => blobs.count() };
}
