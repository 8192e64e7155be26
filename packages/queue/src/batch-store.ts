import type { BatchJobName } from './job-catalog.ts';
import type { BatchState, WebhookAttempt } from './queue-port.ts';

export interface BatchRecord {
  id: string;
  type: BatchJobName;
  state: BatchState;
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  createdAt: number;
  finishedAt: number | null;
  webhookUrl: string | null;
  webhookDelivered: boolean;
  /** X-Request-Id of the HTTP request that created the batch (absent for batches created before it was kept). */
  requestId?: string | null;
}

export interface BatchItem {
  ref: string;
  blobKey: string;
  /**
   * The item's job options. Kept by the SQLite store, whose process re-enqueues unfinished items after a
   * restart; the Redis store leaves them out because BullMQ keeps its jobs itself.
   */
  options?: unknown;
}

/** Why an item failed: the error's code and message, and its details (an enrollment's quality reasons, say). */
export interface ItemError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type ItemOutcome =
  | { status: 'succeeded'; result: Record<string, unknown> }
  | { status: 'failed'; error: ItemError }
  | { status: 'cancelled' };

export interface RecordOutcome {
  /** False when the item already had an outcome (a stalled job that ran twice): nothing was counted. */
  recorded: boolean;
  /** Set only for the one call that finished the batch. */
  finishedState: 'completed' | 'failed' | null;
}

/**
 * Batch bookkeeping, kept apart from job transport so both adapters share the same rules:
 * an item's outcome is written once (first writer wins), counters move only with that write, and the
 * write that completes the set is the one that finishes the batch — atomically, so exactly one caller
 * sends the webhook.
 */
export interface BatchStore {
  create(record: BatchRecord, items: BatchItem[]): Promise<void>;
  get(id: string): Promise<BatchRecord | null>;
  items(id: string, start: number, count: number): Promise<BatchItem[]>;
  outcomes(id: string, indices: number[]): Promise<Array<ItemOutcome | null>>;
  /** An attempt of item `index` starts: the batch is running (stores that resume after a crash also count it). */
  markRunning(id: string, index: number): Promise<void>;
  recordOutcome(id: string, index: number, outcome: ItemOutcome, now: number): Promise<RecordOutcome>;
  /** True when this call moved the batch to cancelled (false if it had already ended). */
  cancel(id: string, now: number): Promise<boolean>;
  /** Stores key → {batchId, hash} unless the key exists; returns the existing claim if it does. */
  claimIdempotency(key: string, claim: IdempotencyClaim, ttlMs: number): Promise<IdempotencyClaim | null>;
  /** Drops the claim if it still names `batchId`: a submission that failed must not block its retry. */
  releaseIdempotency(key: string, batchId: string): Promise<void>;
  addWebhookAttempt(id: string, attempt: WebhookAttempt, delivered: boolean): Promise<void>;
  webhookAttempts(id: string): Promise<WebhookAttempt[]>;
}

export interface IdempotencyClaim {
  batchId: string;
  hash: string;
}

export function finalState(succeeded: number): 'completed' | 'failed' {
  // A batch "failed" only when nothing in it succeeded; partial failures are per-item results.
  return succeeded > 0 ? 'completed' : 'failed';
}
