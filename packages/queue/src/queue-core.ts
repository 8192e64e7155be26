import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, TooManyRequestsError, ValidationError } from '@facerec/errors';
import type { BatchStore } from './batch-store.ts';
import { decodeCursor, encodeCursor, toSummary } from './batch-view.ts';
import type { BlobStore } from './blob-store.ts';
import { jobPolicy, type BatchJobName, type HandlerJobName, type Handlers, type JobPolicyOverrides, type PayloadInput, type Result } from './job-catalog.ts';
import { parsePayload } from './job-errors.ts';
import { JobExecutor } from './job-executor.ts';
import type { JobTransport } from './job-transport.ts';
import type {
  BatchItemResult,
  BatchPage,
  BatchSummary,
  JobQueue,
  PutBlobOptions,
  QueueStats,
  RunJobOptions,
  SubmitBatchInput,
  SubmitOptions,
  SubmitResult,
  WorkerHandle,
  WorkerOptions,
} from './queue-port.ts';
import { WebhookDispatcher } from './webhook-dispatcher.ts';
import { assertWebhookUrlAllowed } from './webhook-url-guard.ts';

export interface QueueCoreOptions {
  /** Waiting jobs above which new work is refused with 429 (accepted work is never dropped). */
  maxWaiting: number;
  retryAfterSeconds: number;
  webhookSecret: string;
  allowPrivateWebhooks: boolean;
  webhookTimeoutMs: number;
  blobTtlMs: number;
  retentionMs: number;
  policies: JobPolicyOverrides | undefined;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1_000;

/** The stores one side of the queue talks to. */
export interface QueueSide {
  store: BatchStore;
  blobs: BlobStore;
  /** Announces a finished batch's webhook; idempotent per batch. */
  enqueueWebhook(batchId: string): Promise<void>;
}

export interface QueueCoreHooks {
  onClose(): Promise<void>;
  /**
   * Wraps every call made for a caller that is waiting (an HTTP request): BullMQ's fails at once, with a 503,
   * while Redis is unreachable, instead of waiting for it to come back.
   */
  guard?: <T>(op: () => Promise<T>) => Promise<T>;
}

/**
 * Batch semantics shared by both adapters; only the transport and the stores differ. Request-path calls use
 * the `request` side and workers the `worker` side: for BullMQ these are separate Redis connections, one that
 * fails fast during an outage and one that waits it out, so accepted work still lands when Redis returns.
 */
export class QueueCore implements JobQueue {
  readonly mode: 'bullmq' | 'in-process';
  private readonly webhooks: WebhookDispatcher;
  private readonly workers = new Set<WorkerHandle>();

  private readonly transport: JobTransport;
  private readonly request: QueueSide;
  private readonly worker: QueueSide;
  private readonly opts: QueueCoreOptions;
  private readonly hooks: QueueCoreHooks;
  private readonly guard: <T>(op: () => Promise<T>) => Promise<T>;

  constructor(transport: JobTransport, sides: { request: QueueSide; worker: QueueSide }, opts: QueueCoreOptions, hooks: QueueCoreHooks) {
    this.transport = transport;
    this.request = sides.request;
    this.worker = sides.worker;
    this.opts = opts;
    this.hooks = hooks;
    this.guard = hooks.guard ?? ((op) => op());
    this.mode = transport.mode;
    this.webhooks = new WebhookDispatcher(this.worker.store, {
      secret: opts.webhookSecret,
      allowPrivate: opts.allowPrivateWebhooks,
      timeoutMs: opts.webhookTimeoutMs,
    });
  }

  putBlob(bytes: Uint8Array, opts: PutBlobOptions = {}): Promise<string> {
    return this.guard(() => this.request.blobs.put(bytes, this.opts.blobTtlMs, { durable: opts.durable ?? false }));
  }

  deleteBlobs(keys: string[]): Promise<void> {
    return this.guard(() => this.request.blobs.delete(keys));
  }

  async runJob<N extends HandlerJobName>(name: N, payload: PayloadInput<N>, opts: RunJobOptions): Promise<Result<N>> {
    const parsed = parsePayload(name, payload);
    return this.guard(async () => {
      if (!opts.admitted) await this.checkCapacity(name);
      const data = { payload: parsed, ...(opts.requestId ? { requestId: opts.requestId } : {}) };
      return (await this.transport.runJob(name, data, opts.timeoutMs)) as Result<N>;
    });
  }

  submitBatch<N extends BatchJobName>(input: SubmitBatchInput<N>, opts: SubmitOptions = {}): Promise<SubmitResult> {
    return this.guard(async () => {
      const passed = input.items.flatMap((item) => ('blobKey' in item ? [item.blobKey] : []));
      let result: SubmitResult | undefined;
      try {
        result = await this.submit(input, opts);
        return result;
      } finally {
        // Blobs handed over by key that no new batch took: a refused submission, or an idempotent replay.
        if (!result?.created && passed.length > 0) await this.request.blobs.delete(passed);
      }
    });
  }

  private async submit<N extends BatchJobName>(input: SubmitBatchInput<N>, opts: SubmitOptions): Promise<SubmitResult> {
    const { store } = this.request;
    if (input.items.length === 0) throw new ValidationError('A batch needs at least one item', 'empty_batch');
    // Validate every item's options up front with a stand-in key, so a bad batch fails before any bytes are stored.
    const itemOptions = input.items.map((item) => ({ ...input.options, ...item.options }));
    for (const options of itemOptions) parsePayload(input.type, { blobKey: 'pending', options });
    if (input.webhookUrl) await assertWebhookUrlAllowed(input.webhookUrl, { allowPrivate: this.opts.allowPrivateWebhooks });

    const id = randomUUID();
    if (opts.idempotencyKey) {
      const hash = opts.bodyHash ?? '';
      const existing = await store.claimIdempotency(opts.idempotencyKey, { batchId: id, hash }, this.opts.retentionMs);
      if (existing) {
        if (existing.hash !== hash) {
          throw new ConflictError('Idempotency-Key was already used with a different request body', 'idempotency_conflict');
        }
        const record = await store.get(existing.batchId);
        if (!record) throw new ConflictError('A batch with this Idempotency-Key is still being created; retry', 'idempotency_in_progress');
        return { batch: toSummary(record, await store.webhookAttempts(record.id)), created: false };
      }
    }

    try {
      // After the idempotency lookup: a retry of an accepted job gets that job back even when the queue is full.
      await this.checkCapacity(input.type);
      return await this.createBatch(id, input, itemOptions);
    } catch (err) {
      if (opts.idempotencyKey) await store.releaseIdempotency(opts.idempotencyKey, id);
      throw err;
    }
  }

  private async createBatch<N extends BatchJobName>(id: string, input: SubmitBatchInput<N>, itemOptions: unknown[]): Promise<SubmitResult> {
    const { store, blobs } = this.request;
    const blobKeys = await Promise.all(
      input.items.map((item) => ('blobKey' in item ? item.blobKey : blobs.put(item.image, this.opts.blobTtlMs, { durable: true }))),
    );
    // The bytes first, then the record that points at them: whatever a restart finds recorded can run.
    await blobs.persist(blobKeys);
    const createdAt = Date.now();
    const record = {
      id,
      type: input.type,
      state: 'queued' as const,
      total: input.items.length,
      succeeded: 0,
      failed: 0,
      cancelled: 0,
      createdAt,
      finishedAt: null,
      webhookUrl: input.webhookUrl ?? null,
      webhookDelivered: false,
      requestId: input.requestId ?? null,
    };
    await store.create(record, input.items.map((item, i) => ({ ref: item.ref, blobKey: blobKeys[i] as string, options: itemOptions[i] })));
    await this.transport.enqueueItems(
      input.type,
      id,
      blobKeys.map((blobKey, index) => ({
        index,
        data: { payload: { blobKey, options: itemOptions[index] }, batch: { id, index }, ...(input.requestId ? { requestId: input.requestId } : {}) },
      })),
    );
    return { batch: toSummary(record, []), created: true };
  }

  getBatch(id: string, page: { cursor?: string | undefined; limit?: number | undefined } = {}): Promise<BatchPage> {
    return this.guard(async () => {
      const { store } = this.request;
      const record = await store.get(id);
      if (!record) throw new NotFoundError(`Batch ${id} not found`, 'batch_not_found');
      const limit = page.limit ?? DEFAULT_PAGE;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
        throw new ValidationError(`limit must be an integer from 1 to ${MAX_PAGE}`, 'invalid_limit');
      }
      const start = page.cursor ? decodeCursor(id, page.cursor, record.total) : 0;
      const [items, attempts] = await Promise.all([store.items(id, start, limit), store.webhookAttempts(id)]);
      const outcomes = await store.outcomes(id, items.map((_, i) => start + i));
      const results: BatchItemResult[] = items.map((item, i) => {
        const o = outcomes[i];
        if (!o) return { ref: item.ref, status: 'pending' };
        if (o.status === 'succeeded') return { ref: item.ref, status: 'succeeded', result: o.result };
        if (o.status === 'failed') return { ref: item.ref, status: 'failed', error: o.error };
        return { ref: item.ref, status: 'cancelled' };
      });
      const next = start + items.length;
      return { ...toSummary(record, attempts), items: results, next_cursor: next < record.total ? encodeCursor(id, next) : null };
    });
  }

  cancelBatch(id: string): Promise<BatchSummary> {
    return this.guard(async () => {
      const { store, blobs } = this.request;
      const record = await store.get(id);
      if (!record) throw new NotFoundError(`Batch ${id} not found`, 'batch_not_found');
      await store.cancel(id, Date.now());
      // Runs again on a repeated cancel, so a cancel that died half-way can be finished by calling it again.
      if ((await store.get(id))?.state === 'cancelled') {
        const items = await store.items(id, 0, record.total);
        const outcomes = await store.outcomes(id, items.map((_, i) => i));
        const pending = outcomes.flatMap((o, i) => (o ? [] : [i]));
        const removed = await this.transport.removeItems(record.type, id, pending);
        for (const index of removed) await store.recordOutcome(id, index, { status: 'cancelled' }, Date.now());
        await blobs.delete(removed.map((i) => items[i]?.blobKey).filter((k): k is string => k !== undefined));
        await this.onBatchFinished(this.request, id);
      }
      const after = await store.get(id);
      if (!after) throw new NotFoundError(`Batch ${id} not found`, 'batch_not_found');
      return toSummary(after, await store.webhookAttempts(id));
    });
  }

  async startWorker(handlers: Handlers, opts: WorkerOptions = {}): Promise<WorkerHandle> {
    const executor = new JobExecutor(
      {
        store: this.worker.store,
        blobs: this.worker.blobs,
        webhooks: this.webhooks,
        policy: (name) => jobPolicy(name, this.opts.policies),
        onBatchFinished: (batchId) => this.onBatchFinished(this.worker, batchId),
      },
      handlers,
    );
    const inner = await this.transport.startWorker(executor, opts);
    const handle: WorkerHandle = {
      close: async () => {
        this.workers.delete(handle);
        await inner.close();
      },
    };
    this.workers.add(handle);
    return handle;
  }

  stats(): Promise<QueueStats> {
    return this.guard(() => this.transport.stats());
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.close()));
    await this.transport.close();
    await this.hooks.onClose();
  }

  private async onBatchFinished(side: QueueSide, batchId: string): Promise<void> {
    const record = await side.store.get(batchId);
    if (record?.webhookUrl) await side.enqueueWebhook(batchId);
  }

  /**
   * Per queue: a long enrollment batch keeps at most ENROLL_CONCURRENCY extract jobs waiting, so it must not
   * make synchronous extractions, which would be served promptly, look like an overloaded fleet.
   */
  private async checkCapacity(name: HandlerJobName): Promise<void> {
    const waiting = await this.transport.waitingCount(name);
    if (waiting >= this.opts.maxWaiting) {
      throw new TooManyRequestsError(this.opts.retryAfterSeconds, `The queue holds ${waiting} waiting jobs; retry later`);
    }
  }
}
