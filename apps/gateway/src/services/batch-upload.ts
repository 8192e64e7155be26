import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Busboy } from '@fastify/busboy';
import { UnsupportedMediaTypeError, ValidationError } from '@facerec/errors';

export interface StoredUpload {
  /** The part's file name: the item's ref in results. */
  ref: string;
  blobKey: string;
}

export interface BatchUpload {
  /** Text fields; one sent more than once holds every value, so the form check can name the repetition. */
  fields: Record<string, string | string[]>;
  /** Every file of the file field, in upload order, already in the blob store. */
  items: StoredUpload[];
  /**
   * The Idempotency-Key fingerprint: everything the job would do (its settings, and every file's name and
   * bytes), so the same key with a different body is told apart.
   */
  fingerprint(settings: unknown): string;
  /** Frees the stored bytes; for a submission refused after the upload was read. */
  discard(): Promise<void>;
  /** Runs a check of the submission; when it throws, the stored bytes are freed before the error goes on. */
  check<T>(fn: () => T | Promise<T>): Promise<T>;
}

export interface BatchUploadOptions {
  /** The repeated file field (`images`); a file in any other field is refused. */
  fileField: string;
  maxItems: number;
  putBlob(bytes: Uint8Array): Promise<string>;
  deleteBlobs(keys: string[]): Promise<void>;
}

/** A manifest for 10,000 files is about 1 MB; other fields are short. */
const MAX_FIELD_BYTES = 8 * 1024 * 1024;
const MAX_FIELDS = 64;

/**
 * Reads a multipart batch upload as it streams in, putting each file into the blob store as soon as it has
 * arrived, so a gateway holds one image at a time instead of the whole body (Hono's `parseBody` buffers the
 * body and then copies every file: about 5x the upload at peak, measured with 3,000 photos). Anything wrong
 * with the body is a ValidationError, and what was stored by then is deleted.
 */
export async function receiveBatchUpload(req: Request, opts: BatchUploadOptions): Promise<BatchUpload> {
  const contentType = req.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data;/i.test(contentType) || !req.body) {
    throw new UnsupportedMediaTypeError('Send the images as multipart/form-data (repeated `images` file fields)');
  }
  // No prototype: field names are the caller's (`__proto__`, `constructor`).
  const fields = Object.create(null) as Record<string, string | string[]>;
  const refs: string[] = [];
  const digests: Buffer[] = [];
  const stores: Array<Promise<string>> = [];

  const body = req.body;
  const stop = new AbortController();
  const parse = new Promise<void>((resolve, reject) => {
    const busboy = new Busboy({
      headers: { 'content-type': contentType },
      // The file name is the caller's ref, kept as sent ("alice/1.jpg" stays whole).
      preservePath: true,
      limits: { files: opts.maxItems, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES },
    });
    // Stops reading at the first problem, so nothing more is stored after the cleanup below has run.
    const fail = (err: Error) => {
      if (stop.signal.aborted) return;
      stop.abort(err);
      reject(err);
    };
    busboy.on('file', (field, stream, filename) => {
      // Parts already in the chunk being parsed still arrive after a stop; nothing more is read to end
      // them, so they must not be waited for.
      if (stop.signal.aborted) {
        stream.resume();
        return;
      }
      if (field !== opts.fileField) {
        stream.resume();
        fail(new ValidationError(`Unexpected file field '${field}'; send files as repeated '${opts.fileField}' fields`, 'invalid_request'));
        return;
      }
      const index = refs.push(filename || 'image') - 1;
      const chunks: Buffer[] = [];
      // Settles when this file has fully arrived and is stored, so waiting on every store also waits for
      // files whose last bytes are still being parsed when the form ends.
      stores[index] = new Promise<string>((resolve, reject) => {
        // A file cut off by a stop never ends: settle it so the cleanup does not wait forever.
        const onStop = () => reject(stop.signal.reason as Error);
        stop.signal.addEventListener('abort', onStop, { once: true });
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', (err: Error) => {
          stop.signal.removeEventListener('abort', onStop);
          const error = new ValidationError(`Malformed multipart body: ${err.message}`, 'invalid_request');
          fail(error);
          reject(error);
        });
        stream.on('end', () => {
          stop.signal.removeEventListener('abort', onStop);
          if (stop.signal.aborted) return reject(stop.signal.reason as Error);
          const bytes = Buffer.concat(chunks);
          digests[index] = createHash('sha256').update(refs[index]!).update('\0').update(bytes).digest();
          resolve(opts.putBlob(bytes));
        });
      });
      // Surfaced by the Promise.all below; this only keeps an early failure from counting as unhandled.
      stores[index].catch(() => {});
    });
    busboy.on('field', (name, value, _nameTruncated, valueTruncated) => {
      if (valueTruncated) fail(new ValidationError(`Field '${name}' is longer than ${MAX_FIELD_BYTES} bytes`, 'invalid_request'));
      else {
        const before = fields[name];
        fields[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
      }
    });
    busboy.on('filesLimit', () => fail(new ValidationError(`A job holds at most ${opts.maxItems} images`, 'too_many_items')));
    busboy.on('fieldsLimit', () => fail(new ValidationError(`At most ${MAX_FIELDS} form fields`, 'invalid_request')));
    busboy.on('error', (err: Error) => fail(new ValidationError(`Malformed multipart body: ${err.message}`, 'invalid_request')));
    busboy.on('finish', () => resolve());
    void pump(body, busboy, stop.signal).catch(fail);
  });

  const discard = async () => {
    const keys = await Promise.allSettled(stores);
    await opts.deleteBlobs(keys.flatMap((k) => (k.status === 'fulfilled' ? [k.value] : [])));
  };
  let blobKeys: string[];
  try {
    await parse;
    blobKeys = await Promise.all(stores);
  } catch (err) {
    // Best effort: the store may be what failed; its expiry (or the embedded queue's start-up sweep) frees the rest.
    await discard().catch(() => {});
    throw err;
  }
  if (blobKeys.length === 0) {
    throw new ValidationError(`${opts.fileField} is required: at least one image file`, 'missing_field');
  }
  return {
    fields,
    items: refs.map((ref, i) => ({ ref, blobKey: blobKeys[i]! })),
    fingerprint(settings) {
      const hash = createHash('sha256').update(JSON.stringify(settings));
      for (const d of digests) hash.update(d);
      return hash.digest('hex');
    },
    discard,
    async check(fn) {
      try {
        return await fn();
      } catch (err) {
        await discard();
        throw err;
      }
    },
  };
}

/** Feeds the request body to the parser, honouring its backpressure; cancels the body once stopped. */
async function pump(body: ReadableStream<Uint8Array>, sink: Writable, signal: AbortSignal): Promise<void> {
  const reader = body.getReader();
  try {
    while (!signal.aborted) {
      const { done, value } = await reader.read();
      if (done) {
        sink.end();
        return;
      }
      if (!sink.write(value)) await once(sink, 'drain', { signal });
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  } finally {
    if (signal.aborted) await reader.cancel().catch(() => {});
  }
}

/** The limits every batch submission is held to. */
export function checkBatchSubmission(limits: { webhooksEnabled: boolean }, webhookUrl: string | undefined): void {
  if (webhookUrl && !limits.webhooksEnabled) {
    throw new ValidationError('webhook_url needs WEBHOOK_SECRET to be configured on the server, so events can be signed', 'webhooks_disabled');
  }
}
