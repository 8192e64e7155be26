import { InternalError } from '@facerec/errors';
import type { FileBlobStore } from './file-blob-store.ts';
import type { InProcessTransport } from './in-process-queue.ts';
import { jobPolicy, type JobPolicyOverrides } from './job-catalog.ts';
import type { SqliteBatchStore } from './sqlite-batch-store.ts';

export interface ResumeReport {
  batches: number;
  /** Items enqueued again. */
  items: number;
  /** Items recorded as failed because every allowed attempt had been cut off by a stop. */
  abandoned: number;
  webhooks: number;
  /** Blob files no item refers to (an upload cut off before its batch was accepted). */
  sweptBlobs: number;
}

/**
 * What the embedded queue does at start with a data directory: the job list was memory, the batch store was
 * not, so every item without an outcome is enqueued again and every finished batch's undelivered webhook is
 * sent. An item's outcome is still written once (first writer wins), so an item that was running when the
 * process died ends exactly once. An item that was started as many times as its job may be attempted, each
 * start cut off by a stop, is recorded as failed instead: an image that kills the process must not kill
 * every restart too (BullMQ's maxStalledCount plays that part in a fleet).
 */
export async function resumeInterrupted(deps: {
  store: SqliteBatchStore;
  blobs: FileBlobStore;
  transport: InProcessTransport;
  policies: JobPolicyOverrides | undefined;
}): Promise<ResumeReport> {
  const { store, blobs, transport } = deps;
  const report: ResumeReport = { batches: 0, items: 0, abandoned: 0, webhooks: 0, sweptBlobs: blobs.sweep(store.liveBlobKeys()) };
  for (const batch of store.batchesWithPendingItems()) {
    report.batches++;
    const pending = store.pendingItems(batch.id);
    const attempts = jobPolicy(batch.type, deps.policies).attempts;
    const rerun = batch.state === 'cancelled' ? [] : pending.filter((item) => item.starts < attempts);
    const settled = pending.filter((item) => !rerun.includes(item));
    for (const item of settled) {
      const outcome =
        batch.state === 'cancelled'
          ? ({ status: 'cancelled' } as const)
          : ({ status: 'failed', error: errorOf(new InternalError(`The service stopped during each of this item's ${item.starts} attempts; not tried again`)) } as const);
      await store.recordOutcome(batch.id, item.index, outcome, Date.now());
      if (outcome.status === 'failed') report.abandoned++;
    }
    await blobs.delete(settled.map((item) => item.blobKey));
    report.items += rerun.length;
    await transport.enqueueItems(
      batch.type,
      batch.id,
      rerun.map((item) => ({
        index: item.index,
        data: { payload: { blobKey: item.blobKey, options: item.options }, batch: { id: batch.id, index: item.index }, ...(batch.requestId ? { requestId: batch.requestId } : {}) },
      })),
    );
  }
  const webhookAttempts = jobPolicy('webhook', deps.policies).attempts;
  for (const { id, attempts } of store.undeliveredWebhooks()) {
    if (attempts >= webhookAttempts) continue;
    report.webhooks++;
    await transport.enqueueWebhook(id, attempts);
  }
  return report;
}

function errorOf(err: InternalError) {
  return { code: err.code, message: err.message };
}
