import { randomUUID } from 'node:crypto';
import { withLogContext } from '@facerec/logger';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../app-env.ts';

export const REQUEST_ID_HEADER = 'X-Request-Id';
export const REQUEST_ID_MAX_LENGTH = 128;

/**
 * What a caller may send as its request id: UUIDs, ULIDs, trace ids (`00-…-01`), `Root=1-…` and base64 all
 * fit; spaces, quotes, control characters and anything over 128 characters do not, so the id is always safe to
 * echo in a header and to write into a log line or a job record.
 */
const SAFE_ID = new RegExp(`^[A-Za-z0-9._:@/+=-]{1,${REQUEST_ID_MAX_LENGTH}}$`);

/** The caller's id when it is safe to keep, else a fresh UUID (an unsafe id is replaced, not refused). */
export function acceptRequestId(presented: string | undefined): string {
  return presented !== undefined && SAFE_ID.test(presented) ? presented : randomUUID();
}

/**
 * Gives every request an id (the caller's X-Request-Id, or a new one), returns it on every response, errors
 * included, and runs the rest of the request in a log context carrying it: every line logged while serving the
 * request, and every job the request creates, names it.
 */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = acceptRequestId(c.req.header(REQUEST_ID_HEADER));
    c.set('requestId', id);
    c.header(REQUEST_ID_HEADER, id);
    await withLogContext({ request_id: id }, next);
    // A response built outside Hono's context (a sub-app's static file) may not have picked up the header.
    if (c.res.headers.get(REQUEST_ID_HEADER) !== id) c.res.headers.set(REQUEST_ID_HEADER, id);
  };
}
