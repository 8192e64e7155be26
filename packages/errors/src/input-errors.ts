import { FaceRecError } from './face-rec-error.ts';

/** Malformed request: missing field, malformed JSON, bad parameter. */
export class ValidationError extends FaceRecError {
  readonly status = 400 as const;
  constructor(message: string, code = 'invalid_request', details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

/** The bytes are not an image we can decode: `invalid_image`, `unsupported_format`, `image_too_large`. */
export class InvalidImageError extends FaceRecError {
  readonly status = 400 as const;
  constructor(message: string, code: 'invalid_image' | 'unsupported_format' | 'image_too_large' = 'invalid_image', options?: ErrorOptions) {
    super(code, message, undefined, options);
  }
}

/** The image decoded but holds no face good enough to use (`no_face`, `low_quality`). */
export class NoFaceError extends FaceRecError {
  readonly status = 400 as const;
  constructor(message = 'No qualified face was detected in the image', code: 'no_face' | 'low_quality' = 'no_face', details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

/** A feature vector of the wrong length or with non-finite values (`dimension_mismatch`, `invalid_vector`). */
export class VectorError extends FaceRecError {
  readonly status = 400 as const;
  constructor(message: string, code: 'dimension_mismatch' | 'invalid_vector' = 'invalid_vector', details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

export class PayloadTooLargeError extends FaceRecError {
  readonly status = 413 as const;
  constructor(limitBytes: number) {
    super('payload_too_large', `Request body exceeds the limit of ${limitBytes} bytes`, { limit_bytes: limitBytes });
  }
}

/** A body in a media type the route does not take (`unsupported_media_type`). */
export class UnsupportedMediaTypeError extends FaceRecError {
  readonly status = 415 as const;
  constructor(message: string) {
    super('unsupported_media_type', message);
  }
}

export class UnauthorizedError extends FaceRecError {
  readonly status = 401 as const;
  constructor(message = 'A valid API key is required (Authorization: Bearer <key>)') {
    super('unauthorized', message);
  }
}

export class NotFoundError extends FaceRecError {
  readonly status = 404 as const;
  constructor(message: string, code = 'not_found') {
    super(code, message);
  }
}

export class ConflictError extends FaceRecError {
  readonly status = 409 as const;
  constructor(message: string, code = 'conflict', details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

/** Understood but refused on its merits, e.g. an enrollment photo failing the quality gate. */
export class UnprocessableError extends FaceRecError {
  readonly status = 422 as const;
  constructor(message: string, code = 'unprocessable', details?: Record<string, unknown>) {
    super(code, message, details);
  }
}
