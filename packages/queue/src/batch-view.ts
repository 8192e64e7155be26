import { ValidationError } from '@facerec/errors';
import type { BatchRecord } from './batch-store.ts';
import type { BatchSummary, WebhookAttempt } from './queue-port.ts';

export function toSummary(r: BatchRecord, attempts: WebhookAttempt[]): BatchSummary {
  return {
    id: r.id,
    type: r.type,
    state: r.state,
    progress: { total: r.total, succeeded: r.succeeded, failed: r.failed, cancelled: r.cancelled },
    created_at: new Date(r.createdAt).toISOString(),
    finished_at: r.finishedAt === null ? null : new Date(r.finishedAt).toISOString(),
    webhook: r.webhookUrl ? { url: r.webhookUrl, delivered: r.webhookDelivered, attempts } : null,
    request_id: r.requestId ?? null,
  };
}

/** The body POSTed to the webhook: the summary without the delivery log (the receiver is the log). */
export function webhookEvent(s: BatchSummary): Pick<BatchSummary, 'id' | 'type' | 'state' | 'progress' | 'created_at' | 'finished_at'> {
  return { id: s.id, type: s.type, state: s.state, progress: s.progress, created_at: s.created_at, finished_at: s.finished_at };
}

// Cursors name their batch so one batch's cursor can't page through another; base64url keeps them opaque.
export function encodeCursor(batchId: string, offset: number): string {
  return Buffer.from(`${batchId}|${offset}`, 'utf8').toString('base64url');
}

export function decodeCursor(batchId: string, cursor: string, total: number): number {
  const m = /^(.+)\|(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const offset = m ? Number(m[2]) : NaN;
  if (!m || m[1] !== batchId || offset > total) {
    throw new ValidationError('Invalid pagination cursor', 'invalid_cursor');
  }
  return offset;
}
