import { FaceRecError } from './face-rec-error.ts';
import * as input from './input-errors.ts';
import * as service from './service-errors.ts';

/** Plain-data form of a FaceRecError, for crossing a thread or a queue. */
export interface SerializedError {
  name: string;
  code: string;
  message: string;
  status: number;
  details?: Record<string, unknown> | undefined;
}

type ErrorClass = abstract new (...args: never[]) => FaceRecError;
const classes: Record<string, ErrorClass> = { ...input, ...service };

/** For a class this build doesn't know (a newer worker, say): the closest one by status. */
const byStatus: Record<number, ErrorClass> = {
  400: input.ValidationError,
  401: input.UnauthorizedError,
  404: input.NotFoundError,
  409: input.ConflictError,
  413: input.PayloadTooLargeError,
  415: input.UnsupportedMediaTypeError,
  422: input.UnprocessableError,
  429: service.TooManyRequestsError,
  503: service.ServiceUnavailableError,
  504: service.TimeoutError,
};

export function serializeError(err: unknown): SerializedError {
  if (err instanceof FaceRecError) {
    return { name: err.name, code: err.code, message: err.message, status: err.status, details: err.details };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: 'InternalError', code: 'internal_error', message: e.message, status: 500 };
}

/**
 * Rebuilds the same class on this side, so `instanceof`, `status` and `permanent` behave exactly as where
 * it was thrown: a worker's "no face" is the gateway's 400, not a generic 500.
 */
export function deserializeError(data: SerializedError): FaceRecError {
  const known = classes[data.name];
  const cls = known ?? byStatus[data.status] ?? (data.status >= 400 && data.status < 500 ? input.ValidationError : service.InternalError);
  const err = Object.create(cls.prototype) as FaceRecError;
  // Built without the constructor (each class has its own signature); these are all the fields they set.
  Object.assign(err, { name: known ? data.name : cls.name, code: data.code, message: data.message, status: data.status, details: data.details });
  if (err instanceof service.TooManyRequestsError) {
    Object.assign(err, { retryAfterSeconds: Number(data.details?.retry_after ?? 1) });
  }
  Object.defineProperty(err, 'stack', { value: `${data.name}: ${data.message}\n    (raised in another thread or process)`, configurable: true });
  return err;
}
