import {
  deserializeError,
  FaceRecError,
  InternalError,
  isFaceRecError,
  serializeError,
  type SerializedError,
  ValidationError,
} from '@facerec/errors';
import type { z } from 'zod';
import { jobCatalog, type JobName, type Payload } from './job-catalog.ts';

/** Anything that is not already a FaceRecError is our fault and worth retrying: treat as 500. */
export function toFaceRecError(err: unknown): FaceRecError {
  if (isFaceRecError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new InternalError(message, { cause: err });
}

const MARKER = 'facerec-error:';

export function encodeErrorReason(err: FaceRecError): string {
  return MARKER + JSON.stringify(serializeError(err));
}

/** True for reasons written by our own processor wrapper (as opposed to BullMQ failing a job by itself). */
export function isEncodedReason(reason: string): boolean {
  return reason.includes(MARKER);
}

export function decodeErrorReason(reason: string): FaceRecError {
  const at = reason.indexOf(MARKER);
  if (at < 0) return new InternalError(reason);
  try {
    return deserializeError(JSON.parse(reason.slice(at + MARKER.length)) as SerializedError);
  } catch (cause) {
    return new InternalError(reason, { cause });
  }
}

export function parsePayload<N extends JobName>(name: N, input: unknown): Payload<N> {
  const parsed = (jobCatalog[name].schema as z.ZodType).safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(`Invalid ${name} job payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data as Payload<N>;
}
