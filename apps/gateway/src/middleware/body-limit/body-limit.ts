import { PayloadTooLargeError } from '@facerec/errors';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { drainBudget, drainRest } from './unread-body.ts';

/** A body under its limit, passed on as a stream that records when it has been read to its end. */
function watchEnd(c: Context<AppEnv>, body: ReadableStream<Uint8Array>, maxBytes?: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (maxBytes !== undefined && seen > maxBytes) {
          // The source is cancelled with this error: the rest of the body stays unread.
          c.set('bodyCutOff', true);
          controller.error(new PayloadTooLargeError(maxBytes));
        } else controller.enqueue(chunk);
      },
      flush() {
        c.set('bodyEnded', true);
      },
    }),
  );
}

const declaredLength = (req: Request): number | undefined => {
  const length = req.headers.get('content-length');
  // Node holds a body to its Content-Length, so it cannot lie; with Transfer-Encoding it does not apply.
  return length === null || req.headers.has('transfer-encoding') ? undefined : Number(length);
};

/**
 * Refuses oversize bodies: a Content-Length over the limit is refused before a byte is read. A chunked
 * body without one is gathered up to the limit and refused once past it, so at most `maxBytes` of it is
 * ever held (the routes behind this limit read their body whole anyway). Throwing our typed error keeps the
 * 413 in the service's error shape; the error responder then deals with the unread rest (unread-body.ts).
 */
export function bodyLimit(maxBytes: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body || c.get('bodyEnded')) return next();
    c.set('drainBudget', drainBudget(maxBytes));
    const length = declaredLength(raw);
    if (length !== undefined) {
      if (length > maxBytes) throw new PayloadTooLargeError(maxBytes);
      c.req.raw = new Request(raw, { body: watchEnd(c, raw.body), duplex: 'half' } as RequestInit);
      return next();
    }
    const reader = raw.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        chunks.length = 0;
        if (!(await drainRest(reader, drainBudget(maxBytes), size))) c.set('bodyCutOff', true);
        else c.set('bodyEnded', true);
        throw new PayloadTooLargeError(maxBytes);
      }
      chunks.push(value);
    }
    c.set('bodyEnded', true);
    c.req.raw = new Request(raw, { body: Buffer.concat(chunks) });
    return next();
  };
}

/**
 * The same limit for a route that streams its body (batch uploads): a chunked body is counted as it
 * flows instead of being gathered first, and the stream fails with the 413 once past the limit. Gathering
 * would hold up to the whole limit (512 MB for batches) in memory before the route saw a byte.
 */
export function streamingBodyLimit(maxBytes: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body || c.get('bodyEnded')) return next();
    c.set('drainBudget', drainBudget(maxBytes));
    const length = declaredLength(raw);
    if (length !== undefined && length > maxBytes) throw new PayloadTooLargeError(maxBytes);
    c.req.raw = new Request(raw, { body: watchEnd(c, raw.body, length === undefined ? maxBytes : undefined), duplex: 'half' } as RequestInit);
    return next();
  };
}

/** What one vector element can take as JSON text, generously: `-1.2345678901234567e-123, ` plus indentation. */
const JSON_BYTES_PER_NUMBER = 64;
/** Everything around the vectors: field names, a threshold, whitespace. */
const JSON_ENVELOPE_BYTES = 16 * 1024;

/**
 * Limit for a JSON body holding `vectors` vectors of `dimension` numbers: its largest valid request with a
 * wide margin (32 KiB for compare_features at 128-d), so a vector of a million numbers is a 413 at the
 * header instead of 18 MB parsed into a JS array.
 */
export function vectorBodyLimit(dimension: number, vectors: number): number {
  return vectors * dimension * JSON_BYTES_PER_NUMBER + JSON_ENVELOPE_BYTES;
}

/** JSON bodies without vectors (a collection's settings) are a few hundred bytes. */
export const SMALL_JSON_BODY_BYTES = 16 * 1024;
