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

/** Batch semantics shared by both adapters; only the transport and the stores differ. */
export class QueueCore implements JobQueue {
  readonly mode: 'bullmq' | 'in-process';
  private readonly webhooks: WebhookDispatcher;
  private readonly workers = new Set<WorkerHandle>();

  private readonly transport: JobTransport;
  private readonly store: BatchStore;
  private readonly blobs: BlobStore;
  private readonly opts: QueueCoreOptions;
  private readonly onClose: () => Promise<void>;

  constructor(transport: JobTransport, store: BatchStore, blobs: BlobStore, opts: QueueCoreOptions, onClose: () => Promise<void>) {
    this.transport = transport;
    this.store = store;
    this.blobs = blobs;
    this.opts = opts;
    this.onClose = onClose;
    this.mode = transport.mode;
    this.webhooks = new WebhookDispatcher(store, {
      secret: opts.webhookSecret,
      allowPrivate: opts.allowPrivateWebhooks,
      timeoutMs: opts.webhookTimeoutMs,
    });
  }

  putBlob(bytes: Uint8Array): Promise<string> {
    return this.blobs.put(bytes, this.opts.blobTtlMs);
  }

  deleteBlobs(keys: string[]): Promise<void> {
    return this.blobs.delete(keys);
  }

  async runJob<N extends HandlerJobName>(name: N, payload: PayloadInput<N>, opts: RunJobOptions): Promise<Result<N>> {
    const parsed = parsePayload(name, payload);
    if (!opts.admitted) await this.checkCapacity(name);
    const data = { payload: parsed, ...(opts.requestId ? { requestId: opts.requestId } : {}) };
    return (await this.transport.runJob(name, data, opts.timeoutMs)) as Result<N>;
  }

  async submitBatch<N extends BatchJobName>(input: SubmitBatchInput<N>, opts: SubmitOptions = {}): Promise<SubmitResult> {
    const passed = input.items.flatMap((item) => ('blobKey' in item ? [item.blobKey] : []));
    let result: SubmitResult | undefined;
    try {
      result = await this.submit(input, opts);
      return result;
    } finally {
      // Blobs handed over by key that no new batch took: a refused submission, or an idempotent replay.
      if (!result?.created && passed.length > 0) await this.blobs.delete(passed);
    }
  }

  private async submit<N extends BatchJobName>(input: SubmitBatchInput<N>, opts: SubmitOptions): Promise<SubmitResult> {
    if (input.items.length === 0) throw new ValidationError('A batch needs at least one item', 'empty_batch');
    // Validate every item's options up front with a stand-in key, so a bad batch fails before any bytes are stored.
    const itemOptions = input.items.map((item) => ({ ...input.options, ...item.options }));
    for (const options of itemOptions) parsePayload(input.type, { blobKey: 'pending', options });
    if (input.webhookUrl) await assertWebhookUrlAllowed(input.webhookUrl, { allowPrivate: this.opts.allowPrivateWebhooks });

    const id = randomUUID();
    if (opts.idempotencyKey) {
      const hash = opts.bodyHash ?? '';
      const existing = await this.store.claimIdempotency(opts.idempotencyKey, { batchId: id, hash }, this.opts.retentionMs);
      if (existing) {
        if (existing.hash !== hash) {
          throw new ConflictError('Idempotency-Key was already used with a different request body', 'idempotency_conflict');
        }
        const record = await this.store.get(existing.batchId);
        if (!record) throw new ConflictError('A batch with this Idempotency-Key is still being created; retry', 'idempotency_in_progress');
        return { batch: toSummary(record, await this.store.webhookAttempts(record.id)), created: false };
      }
    }

    try {
      // After the idempotency lookup: a retry of an accepted job gets that job back even when the queue is full.
      await this.checkCapacity(input.type);
      return await this.createBatch(id, input, itemOptions);
    } catch (err) {
      if (opts.idempotencyKey) await this.store.releaseIdempotency(opts.idempotencyKey, id);
      throw err;
    }
  }

  private async createBatch<N extends BatchJobName>(id: string, input: SubmitBatchInput<N>, itemOptions: unknown[]): Promise<SubmitResult> {
    const blobKeys = await Promise.all(input.items.map((item) => ('blobKey' in item ? item.blobKey : this.blobs.put(item.image, this.opts.blobTtlMs))));
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
    await this.store.create(record, input.items.map((item, i) => ({ ref: item.ref, blobKey: blobKeys[i] as string })));
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

  async getBatch(id: string, page: { cursor?: string | undefined; limit?: number | undefined } = {}): Promise<BatchPage> {
    const record = await this.store.get(id);
    if (!record) throw new NotFoundError(`Batch ${id} not found`, 'batch_not_found');
    const limit = page.limit ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new ValidationError(`limit must be an integer from 1 to ${MAX_PAGE}`, 'invalid_limit');
    }
    const start = page.cursor ? decodeCursor(id, page.cursor, record.total) : 0;
    const [items, attempts] = await Promise.all([this.store.items(id, start, limit), this.store.webhookAttempts(id)]);
    const outcomes = await this.store.outcomes(id, items.map((_, i) => start + i));
    const results: BatchItemResult[] = items.map((item, i) => {
      const o = outcomes[i];
      if (!o) return { ref: item.ref, status: 'pending' };
      if (o.status === 'succeeded') return { ref: item.ref, status: 'succeeded', result: o.result };
      if (o.status === 'failed') return { ref: item.ref, status: 'failed', error: o.error };
      return { ref: item.ref, status: 'cancelled' };
    });
    const next = start + items.length;
    return { ...toSummary(record, attempts), items: results, next_cursor: next < record.total ? encodeCursor(id, next) : null };
  }

  async cancelBatch(id: string): Promise<BatchSummary> {
    const record = await this.store.get(id);
    if (!record) throw new NotFoundError(`Batch ${id} not found`, 'batch_not_found');
    await this.store.cancel(id, Date.now());
    // Runs again on a repeated cancel, so a cancel that died half-way can be finished by calling it again.
    if ((await this.store.get(id))?.state === 'cancelled') {
      const items = await this.store.items(id, 0, record.total);
      const outcomes = await this.store.outcomes(id, items.map((_, i) => i));
      const pending = outcomes.flatMap((o, i) => (o ? [] : [i]));
      const removed = await this.transport.removeItems(record.type, id, pending);
      for (const index of removed) await this.store.recordOutcome(id, index, { status: 'cancelled' }, Date.now());
      await this.blobs.delete(removed.map((i) => items[i]?.blobKey).filter((k): k is string => k !== undefined));
      await this.onBatchFinished(id);
    }
    const after = await this.store.get(id);
    if (!after) throw new NotFoundError(`Batch ${id} not found`, 'batch_not_found');
    return toSummary(after, await this.store.webhookAttempts(id));
  }

  async startWorker(handlers: Handlers, opts: WorkerOptions = {}): Promise<WorkerHandle> {
    const executor = new JobExecutor(
      {
        store: this.store,
        blobs: this.blobs,
        webhooks: this.webhooks,
        policy: (name) => jobPolicy(name, this.opts.policies),
        onBatchFinished: (batchId) => this.onBatchFinished(batchId),
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
    return this.transport.stats();
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.close()));
    await this.transport.close();
    await this.onClose();
  }

  private async onBatchFinished(batchId: string): Promise<void> {
    const record = await this.store.get(batchId);
    if (record?.webhookUrl) await this.transport.enqueueWebhook(batchId);
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
