import { PayloadTooLargeError } from '@facerec/errors';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';

/**
 * Refuses oversize bodies before they are buffered: Hono's limiter checks Content-Length and also counts
 * streamed bytes, so a chunked upload that lies about its size is cut off too. Throwing our typed error
 * keeps the 413 in the service's error shape.
 */
export function bodyLimit(maxBytes: number): MiddlewareHandler {
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new PayloadTooLargeError(maxBytes);
    },
  });
}
