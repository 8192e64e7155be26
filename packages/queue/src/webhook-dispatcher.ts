import { NotFoundError, ServiceUnavailableError, isFaceRecError } from '@facerec/errors';
import type { BatchStore } from './batch-store.ts';
import { toSummary, webhookEvent } from './batch-view.ts';
import { postPinned } from './webhook-post.ts';
import { signWebhook } from './webhook-signature.ts';
import type { Resolver } from './webhook-url-guard.ts';

export interface WebhookDispatcherOptions {
  secret: string;
  allowPrivate: boolean;
  /** Per HTTP attempt. */
  timeoutMs?: number;
  /** Host name resolution; the system's by default. */
  resolve?: Resolver;
}

/**
 * One delivery attempt per call (the queue's retry policy supplies the backoff). Every attempt is appended
 * to the batch's webhook log before the outcome is thrown, so getBatch shows failures as they happen.
 */
export class WebhookDispatcher {
  private readonly store: BatchStore;
  private readonly opts: WebhookDispatcherOptions;

  constructor(store: BatchStore, opts: WebhookDispatcherOptions) {
    this.store = store;
    this.opts = opts;
  }

  async deliver(batchId: string): Promise<{ status: number }> {
    const record = await this.store.get(batchId);
    if (!record) throw new NotFoundError(`Batch ${batchId} no longer exists`, 'batch_not_found');
    if (!record.webhookUrl || record.webhookDelivered) return { status: 0 };
    const at = () => new Date().toISOString();
    let status: number;
    try {
      // Resolved and checked again on every attempt (DNS may point somewhere else by now), and the
      // connection goes to the very addresses that were checked.
      const body = JSON.stringify(webhookEvent(toSummary(record, [])));
      status = await postPinned(record.webhookUrl, body, {
        headers: { 'content-type': 'application/json', 'user-agent': 'facerec-webhook/1', ...signWebhook(this.opts.secret, body) },
        allowPrivate: this.opts.allowPrivate,
        resolve: this.opts.resolve,
        timeoutMs: this.opts.timeoutMs ?? 10_000,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.store.addWebhookAttempt(batchId, { at: at(), error: message }, false);
      // A refused URL is a FaceRecError (permanent); network failures and timeouts are worth retrying.
      throw isFaceRecError(err) ? err : new ServiceUnavailableError(`Webhook delivery failed: ${message}`, 'webhook_failed');
    }
    const delivered = status >= 200 && status < 300;
    await this.store.addWebhookAttempt(batchId, { at: at(), status }, delivered);
    if (!delivered) throw new ServiceUnavailableError(`Webhook receiver answered ${status}`, 'webhook_failed');
    return { status };
  }
}
