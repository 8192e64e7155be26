import { FaceRecError } from './face-rec-error.ts';

export class TooManyRequestsError extends FaceRecError {
  readonly status = 429 as const;
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, message = 'The service is at capacity; retry later') {
    super('too_many_requests', message, { retry_after: retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Models not loaded yet, or a backing service is down. */
export class ServiceUnavailableError extends FaceRecError {
  readonly status = 503 as const;
  constructor(message: string, code = 'unavailable', details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

export class TimeoutError extends FaceRecError {
  readonly status = 504 as const;
  constructor(message: string, code = 'timeout') {
    super(code, message);
  }
}

/** A fault of ours. The message is safe to show; the cause keeps the detail for logs. */
export class InternalError extends FaceRecError {
  readonly status = 500 as const;
  constructor(message = 'Internal server error', options?: ErrorOptions) {
    super('internal_error', message, undefined, options);
  }
}

/**
 * A backing service (Qdrant) answered, but refused a request we built: a bug of ours or a deployment
 * mismatch (strict mode, a read-only key), never the caller's input. `details.reason` is the service's own
 * explanation, which a bare HTTP status would hide.
 */
export class UpstreamError extends FaceRecError {
  readonly status = 500 as const;
  constructor(message: string, code = 'upstream_error', details?: Record<string, unknown>) {
    super(code, message, details);
  }
}
