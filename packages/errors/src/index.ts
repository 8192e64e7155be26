export { FaceRecError, isFaceRecError, type ErrorStatus } from './face-rec-error.ts';
export {
  ValidationError,
  InvalidImageError,
  NoFaceError,
  VectorError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  UnauthorizedError,
  NotFoundError,
  ConflictError,
  UnprocessableError,
} from './input-errors.ts';
export { TooManyRequestsError, ServiceUnavailableError, TimeoutError, InternalError, UpstreamError } from './service-errors.ts';
export { serializeError, deserializeError, type SerializedError } from './serialized-error.ts';
