import { InternalError, NotFoundError, TimeoutError, type FaceRecError } from '@facerec/errors';
import type { BatchStore, ItemOutcome } from './batch-store.ts';
import type { BlobStore } from './blob-store.ts';
import { jobCatalog, type HandlerJobName, type JobDefinition, type Handlers, type JobContext, type JobName, type JobPolicy } from './job-catalog.ts';
import { parsePayload, toFaceRecError } from './job-errors.ts';
import type { WebhookDispatcher } from './webhook-dispatcher.ts';

/** What a queue job carries: the catalog payload, plus where the result goes when it is a batch item. */
export interface JobData {
  payload: unknown;
  batch?: { id: string; index: number };
  /** The HTTP request that created the job (X-Request-Id). */
  requestId?: string;
}

export interface AttemptInfo {
  jobId: string;
  attempt: number;
  maxAttempts: number;
  updateProgress(progress: number): Promise<void>;
}

export interface ExecutorDeps {
  store: BatchStore;
  blobs: BlobStore;
  webhooks: WebhookDispatcher;
  policy: (name: JobName) => JobPolicy;
  /** Called once per batch when it reaches a terminal state. */
  onBatchFinished: (batchId: string) => Promise<void>;
}

/**
 * Runs one attempt of one job the same way for both adapters: validate, run the handler under the
 * catalog's timeout, record batch outcomes, free blobs when the job ends for good. Throws the handler's
 * error as a FaceRecError; the adapter decides retry vs give-up from `.permanent`.
 */
export class JobExecutor {
  private readonly deps: ExecutorDeps;
  private readonly handlers: Handlers;

  constructor(deps: ExecutorDeps, handlers: Handlers) {
    this.deps = deps;
    this.handlers = handlers;
  }

  /** Whether this worker takes jobs from queue `name`; webhooks are delivered by every worker. */
  handles(name: JobName): boolean {
    return name === 'webhook' || this.handlers[name] !== undefined;
  }

  async execute(name: JobName, data: JobData, info: AttemptInfo): Promise<unknown> {
    if (name === 'webhook') {
      const { batchId } = parsePayload('webhook', data.payload);
      return this.deps.webhooks.deliver(batchId);
    }
    return this.executeHandler(name, data, info);
  }

  private async executeHandler(name: HandlerJobName, data: JobData, info: AttemptInfo): Promise<unknown> {
    const { store } = this.deps;
    let batchCreatedAt: number | undefined;
    if (data.batch) {
      const batch = await store.get(data.batch.id);
      if (!batch || batch.state === 'cancelled') {
        // Picked up after cancel (or the batch expired): don't spend a worker on it.
        await this.finish(name, data, { status: 'cancelled' });
        return null;
      }
      batchCreatedAt = batch.createdAt;
      await store.markRunning(data.batch.id, data.batch.index);
    }
    try {
      const payload = parsePayload(name, data.payload);
      const handler = this.handlers[name] as ((payload: unknown, ctx: JobContext) => Promise<unknown>) | undefined;
      // Transports only subscribe a worker to queues it has handlers for, so this is a wiring bug.
      if (!handler) throw new InternalError(`This worker has no handler for ${name} jobs`);
      const policy = this.deps.policy(name);
      const result = await withTimeout(policy.timeoutMs, (signal) => {
        const ctx: JobContext = {
          jobId: info.jobId,
          attempt: info.attempt,
          maxAttempts: info.maxAttempts,
          signal,
          readBlob: (key) => this.readBlob(key),
          updateProgress: info.updateProgress,
          requestId: data.requestId,
          batch: data.batch && batchCreatedAt !== undefined ? { ...data.batch, createdAt: batchCreatedAt } : undefined,
        };
        return handler(payload, ctx);
      });
      const checked = jobCatalog[name].result.safeParse(result);
      if (!checked.success) throw new Error(`${name} handler returned a result that is not a JSON object`);
      await this.finish(name, data, { status: 'succeeded', result: checked.data });
      return checked.data;
    } catch (err) {
      const error = toFaceRecError(err);
      if (error.permanent || info.attempt >= info.maxAttempts) await this.finalFailure(name, data, error);
      throw error;
    }
  }

  /** Also called by the BullMQ adapter for jobs failed outside a handler (stalled too many times). */
  async finalFailure(name: JobName, data: JobData, error: FaceRecError): Promise<void> {
    if (name === 'webhook') return;
    await this.finish(name, data, { status: 'failed', error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
  }

  private async finish(
    name: HandlerJobName,
    data: JobData,
    outcome: ItemOutcome,
  ): Promise<void> {
    if (data.batch) {
      const { id, index } = data.batch;
      const { recorded, finishedState } = await this.deps.store.recordOutcome(id, index, outcome, Date.now());
      if (finishedState) {
        await this.deps.onBatchFinished(id);
      } else if (!recorded && (await this.deps.store.get(id))?.finishedAt != null) {
        // A re-run of an item already recorded: the first run may have died between finishing the batch
        // and enqueueing its webhook. Enqueueing is idempotent (one webhook job per batch), so repeat it.
        await this.deps.onBatchFinished(id);
      }
    }
    // Blobs go only after the outcome is durable: a crash in between re-runs the job, which still needs them.
    const def = jobCatalog[name] as JobDefinition;
    const parsed = def.schema.safeParse(data.payload);
    if (parsed.success) await this.deps.blobs.delete(def.blobKeys(parsed.data));
  }

  private async readBlob(key: string): Promise<Buffer> {
    const bytes = await this.deps.blobs.get(key);
    // Permanent: the TTL safety net already fired or the job was cancelled; a retry can't bring it back.
    if (!bytes) throw new NotFoundError(`Image blob ${key} has expired or was deleted`, 'blob_missing');
    return bytes;
  }
}

async function withTimeout<T>(ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new TimeoutError(`Job attempt exceeded ${ms} ms`);
      controller.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
