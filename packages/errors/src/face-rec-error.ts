/**
 * Root of the service's error hierarchy. Every error that crosses a package boundary on purpose is one of
 * these: the gateway's single `onError` turns it into `{success:false, code, message, processing_time}`
 * with `status`, and workers treat `permanent` errors as unrecoverable (retrying cannot fix bad input).
 */
export type ErrorStatus = 400 | 401 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503 | 504;

export abstract class FaceRecError extends Error {
  abstract readonly status: ErrorStatus;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }

  /** True when the same input can never succeed, so a retry only wastes a worker. */
  get permanent(): boolean {
    return this.status < 500;
  }
}

export function isFaceRecError(err: unknown): err is FaceRecError {
  return err instanceof FaceRecError;
}
