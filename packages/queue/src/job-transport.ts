import type { JobData, JobExecutor } from './job-executor.ts';
import type { BatchJobName, HandlerJobName } from './job-catalog.ts';
import type { QueueStats, WorkerHandle, WorkerOptions } from './queue-port.ts';

export interface ItemJob {
  index: number;
  data: JobData;
}

/** How jobs move (BullMQ or in memory); everything about batches lives above this in QueueCore. */
export interface JobTransport {
  readonly mode: 'bullmq' | 'in-process';
  enqueueItems(name: HandlerJobName, batchId: string, items: ItemJob[]): Promise<void>;
  enqueueWebhook(batchId: string): Promise<void>;
  /** Removes the items' jobs if no worker has taken them yet; returns the indices actually removed. */
  removeItems(name: BatchJobName, batchId: string, indices: number[]): Promise<number[]>;
  /** Jobs of queue `name` accepted but not started (delayed retries included): the backpressure signal. */
  waitingCount(name: HandlerJobName): Promise<number>;
  /** Rejects with TimeoutError after `timeoutMs`, or with the rebuilt handler error. */
  runJob(name: HandlerJobName, data: JobData, timeoutMs: number): Promise<unknown>;
  startWorker(executor: JobExecutor, opts: WorkerOptions): Promise<WorkerHandle>;
  stats(): Promise<QueueStats>;
  close(): Promise<void>;
}
