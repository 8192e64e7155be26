import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '@facerec/errors';

const invalidCursor = () => new ValidationError('cursor is not one this service issued; pass next_cursor from the previous page', 'invalid_cursor');

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
  throw invalidCursor();
}

/**
 * Authenticates the cursors handed to clients: `<cursor>.<HMAC-SHA256(key, scope + cursor)>`, so only a
 * cursor this service issued, for the same collection, is accepted (`{"after":"zzz"}` made by hand is a
 * 400). The scope binds a cursor to the collection it pages. Gateways that share a catalog share the key
 * (CURSOR_SECRET), or a page started on one could not be continued on another.
 */
export class CursorSigner {
  private readonly key: Uint8Array;

  constructor(key: Uint8Array) {
    if (key.byteLength < 16) throw new Error('a cursor key needs at least 16 bytes');
    this.key = key;
  }

  sign(scope: string, cursor: string): string {
    return `${cursor}.${this.mac(scope, cursor).toString('base64url')}`;
  }

  /** The cursor `sign` wrapped, or invalid_cursor. */
  open(scope: string, token: string): string {
    const dot = token.lastIndexOf('.');
    if (dot > 0) {
      const cursor = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = this.mac(scope, cursor);
      if (given.length === expected.length && timingSafeEqual(given, expected)) return cursor;
    }
    throw invalidCursor();
  }

  private mac(scope: string, cursor: string): Buffer {
    return createHmac('sha256', this.key).update(scope).update('\0').update(cursor).digest();
  }
}
