import { FaceRecError, InternalError, TooManyRequestsError, UnsupportedMediaTypeError, ValidationError } from '@facerec/errors';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../app-env.ts';
import type { Logger } from '@facerec/logger';
import { settleUnreadBody } from '../middleware/body-limit/index.ts';
import { elapsedSeconds } from '../middleware/processing-time/index.ts';

/** Hono raises HTTPException for what it parses itself (malformed JSON, wrong media type). */
function fromHttpException(err: HTTPException): FaceRecError {
  if (err.status === 415) {
    return new UnsupportedMediaTypeError('Unsupported Content-Type: send multipart/form-data for image uploads and application/json for vectors');
  }
  if (err.status >= 400 && err.status < 500) {
    const malformed = /json/i.test(err.message);
    return new ValidationError(malformed ? 'Malformed JSON in request body' : err.message, malformed ? 'malformed_json' : 'invalid_request');
  }
  return new InternalError(undefined, { cause: err });
}

/**
 * The single place where errors become HTTP responses: `{success:false, code, message, processing_time}`
 * (the spec's shape plus a stable `code`). Anything that is not one of our typed errors is a bug: it is
 * logged with its stack and answered as a generic 500 so internals don't leak.
 */
export function errorResponder(logger: Logger) {
  return async (err: Error, c: Context<AppEnv>) => {
    let known: FaceRecError;
    if (err instanceof FaceRecError) known = err;
    else if (err instanceof HTTPException) known = fromHttpException(err);
    else known = new InternalError(undefined, { cause: err });

    // A 503 (models loading, Redis unreachable) is logged once where that state changes, not once per request.
    if (known.status >= 500 && known.status !== 503) {
      const cause = known.cause instanceof Error ? known.cause : err;
      logger.error('request failed', { path: c.req.path, code: known.code, error: cause.message, stack: cause.stack });
    }
    if (known instanceof TooManyRequestsError) c.header('Retry-After', String(known.retryAfterSeconds));
    await settleUnreadBody(c);
    return c.json(
      {
        success: false as const,
        code: known.code,
        message: known.message,
        ...(known.details ? { details: known.details } : {}),
        processing_time: elapsedSeconds(c),
      },
      known.status as ContentfulStatusCode,
    );
  };
}

export async function notFoundResponder(c: Context<AppEnv>) {
  await settleUnreadBody(c);
  return c.json(
    { success: false as const, code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}`, processing_time: elapsedSeconds(c) },
    404,
  );
}
