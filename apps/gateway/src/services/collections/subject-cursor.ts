import { ValidationError } from '@facerec/errors';

/** Opaque to clients: the last subject_id of the page, base64url-encoded JSON. */
export function encodeCursor(lastSubjectId: string): string {
  return Buffer.from(JSON.stringify({ after: lastSubjectId }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as { after?: unknown }).after === 'string') {
      return (parsed as { after: string }).after;
    }
  } catch {
    // fall through to the one error below
  }
  throw new ValidationError('cursor is not one this service issued; pass next_cursor from the previous page', 'invalid_cursor');
}
