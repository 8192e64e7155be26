import type { ItemError } from './batch-store.ts';
import type { BatchJobName, BatchOptions, Handlers, HandlerJobName, PayloadInput, Result, JobName } from './job-catalog.ts';

export type BatchState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
export type ItemStatus = 'succeeded' | 'failed' | 'pending' | 'cancelled';

export interface BatchProgress {
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
}

export interface WebhookAttempt {
  /** ISO time the attempt finished. */
  at: string;
  /** HTTP status when the receiver answered; absent when it never did. */
  status?: number;
  error?: string;
}

export interface WebhookStatus {
  url: string;
  delivered: boolean;
  attempts: WebhookAttempt[];
}

export interface BatchSummary {
  id: string;
  type: BatchJobName;
  state: BatchState;
  progress: BatchProgress;
  created_at: string;
  finished_at: string | null;
  webhook: WebhookStatus | null;
  /** X-Request-Id of the HTTP request that created the job, so its log lines can be found. */
  request_id: string | null;
}

export interface BatchItemResult {
  ref: string;
  status: ItemStatus;
  result?: Record<string, unknown>;
  error?: ItemError;
}

export interface BatchPage extends BatchSummary {
  items: BatchItemResult[];
  /** Opaque; null on the last page. */
  next_cursor: string | null;
}

/**
 * One image of a batch: its bytes, or the key `putBlob` returned for them (an upload streamed into the blob
 * store as it arrived). A blob passed by key belongs to the queue from then on: used by the batch, or deleted
 * when the submission is refused or answered with an earlier batch.
 */
export type BatchItemInput<N extends BatchJobName = BatchJobName> = {
  /** Caller's name for the item, echoed in results. */
  ref: string;
  /** Laid over the batch's options for this item only (an enrollment's subject, say). */
  options?: Partial<BatchOptions<N>>;
} & ({ image: Uint8Array } | { blobKey: string });

export interface SubmitBatchInput<N extends BatchJobName = BatchJobName> {
  type: N;
  items: BatchItemInput<N>[];
  /** Every item's options: these, overlaid with the item's own, then checked against the catalog schema. */
  options: Partial<BatchOptions<N>>;
  webhookUrl?: string | undefined;
  /** The HTTP request that creates the batch: kept on the record and carried by every item's job. */
  requestId?: string | undefined;
}

export interface SubmitOptions {
  idempotencyKey?: string | undefined;
  /** Hash of the request body; the same key with another hash is a 409. */
  bodyHash?: string | undefined;
}

export interface SubmitResult {
  batch: BatchSummary;
  /** False when an earlier submission with the same idempotency key was returned. */
  created: boolean;
}

export interface RunJobOptions {
  /** How long the caller waits; the job itself keeps running and finishes after a timeout. */
  timeoutMs: number;
  /**
   * Work on behalf of a job the queue already accepted (an enrollment's extraction): it skips the 429 check,
   * because refusing it would fail accepted work instead of pushing back on new work.
   */
  admitted?: boolean;
  /** The HTTP request the job serves: carried in the job, handed to the handler (JobContext.requestId). */
  requestId?: string | undefined;
}

export interface PutBlobOptions {
  /**
   * The bytes are for a batch (an upload streamed in before `submitBatch`): the embedded queue writes them to
   * disk at once, so the batch survives a crash once accepted. Bytes for `runJob` leave it unset and stay in
   * memory there: that request dies with the process anyway, and a file write would slow it down.
   */
  durable?: boolean;
}

export interface WorkerOptions {
  /** Jobs run at once per queue in this worker. */
  concurrency?: number;
}

export interface WorkerHandle {
  /** Stops taking jobs and waits for the in-flight ones to finish. */
  close(): Promise<void>;
}

/** Where a queue reports what no caller waits for (structurally @facerec/logger's Logger). */
export interface QueueLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Jobs of one queue by state. `completed`/`failed`: what the queue still holds (BullMQ keeps them a while). */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

/** The top-level counts add up the work queues (extract and enroll); `queues` has each queue on its own. */
export interface QueueStats extends QueueCounts {
  queues: Record<JobName, QueueCounts>;
}

/**
 * The port the gateway (producer side) and the workers (consumer side) both talk to. One implementation
 * runs on BullMQ/Redis for a fleet, the other in-process for single-node mode; both pass the same
 * contract suite (src/contract/job-queue-contract.ts).
 */
export interface JobQueue {
  readonly mode: 'bullmq' | 'in-process';
  /** Stores image bytes for a later `runJob('extract', { blobKey })` or batch item; the job deletes them when it ends. */
  putBlob(bytes: Uint8Array, opts?: PutBlobOptions): Promise<string>;
  /** Frees blobs no job will own (an upload refused after it was stored). */
  deleteBlobs(keys: string[]): Promise<void>;
  /** Enqueues one job and waits for its result. Rejects with the handler's own error class on failure. */
  runJob<N extends HandlerJobName>(name: N, payload: PayloadInput<N>, opts: RunJobOptions): Promise<Result<N>>;
  submitBatch<N extends BatchJobName>(input: SubmitBatchInput<N>, opts?: SubmitOptions): Promise<SubmitResult>;
  /** NotFoundError for an unknown id; ValidationError for a cursor this queue did not hand out. */
  getBatch(id: string, page?: { cursor?: string | undefined; limit?: number | undefined }): Promise<BatchPage>;
  /** Removes items not started yet; running ones finish and their results are kept. */
  cancelBatch(id: string): Promise<BatchSummary>;
  startWorker(handlers: Handlers, opts?: WorkerOptions): Promise<WorkerHandle>;
  stats(): Promise<QueueStats>;
  /** Closes producers and every worker started from this queue (in-flight jobs finish first). */
  close(): Promise<void>;
}
