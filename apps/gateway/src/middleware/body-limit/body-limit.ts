import { PayloadTooLargeError } from '@facerec/errors';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';

/**
 * Refuses oversize bodies: a Content-Length over the limit is refused before a byte is read (Node holds a
 * body to its Content-Length, so it cannot lie). A chunked body without one is read up to the limit and cut
 * off there, so at most `maxBytes` of it is ever held. Throwing our typed error keeps the 413 in the
 * service's error shape.
 */
export function bodyLimit(maxBytes: number): MiddlewareHandler {
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new PayloadTooLargeError(maxBytes);
    },
  });
}

/**
 * The same limit for a route that streams its body (batch uploads): a chunked body is counted as it
 * flows instead of being gathered first, and the stream fails with the 413 once past the limit. Hono's
 * limiter would hold up to the whole limit (512 MB for batches) in memory before the route saw a byte.
 */
export function streamingBodyLimit(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body) return next();
    const length = raw.headers.get('content-length');
    if (length !== null && !raw.headers.has('transfer-encoding')) {
      if (Number(length) > maxBytes) throw new PayloadTooLargeError(maxBytes);
      return next();
    }
    let seen = 0;
    const counted = raw.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > maxBytes) controller.error(new PayloadTooLargeError(maxBytes));
          else controller.enqueue(chunk);
        },
      }),
    );
    c.req.raw = new Request(raw, { body: counted, duplex: 'half' } as RequestInit);
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
