import { createHash } from 'node:crypto';
import { ValidationError } from '@facerec/errors';

export interface UploadedItem {
  /** The part's file name: the item's ref in results. */
  ref: string;
  image: Uint8Array;
}

export async function readUploads(files: File[]): Promise<UploadedItem[]> {
  return Promise.all(files.map(async (file) => ({ ref: file.name || 'image', image: new Uint8Array(await file.arrayBuffer()) })));
}

/**
 * The Idempotency-Key fingerprint of a batch submission: everything the job would do (its settings, and
 * every file's name and bytes), so the same key with a different body is told apart.
 */
export function batchFingerprint(settings: unknown, items: UploadedItem[]): string {
  const hash = createHash('sha256').update(JSON.stringify(settings));
  for (const item of items) hash.update('\0').update(item.ref).update('\0').update(item.image);
  return hash.digest('hex');
}

/** The limits every batch submission is held to, checked before any bytes are read. */
export function checkBatchSubmission(limits: { batchMaxItems: number; webhooksEnabled: boolean }, imageCount: number, webhookUrl: string | undefined): void {
  if (imageCount > limits.batchMaxItems) {
    throw new ValidationError(`A job holds at most ${limits.batchMaxItems} images; this one has ${imageCount}`, 'too_many_items');
  }
  if (webhookUrl && !limits.webhooksEnabled) {
    throw new ValidationError('webhook_url needs WEBHOOK_SECRET to be configured on the server, so events can be signed', 'webhooks_disabled');
  }
}
