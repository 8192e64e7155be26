import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CursorSigner, decodeCursor, encodeCursor } from './subject-cursor.ts';

describe('CursorSigner', () => {
  const signer = new CursorSigner(randomBytes(32));

  it('opens what it signed, for the same scope, whatever the subject id', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 128 }), fc.uuid(), (subject, scope) => {
        expect(decodeCursor(signer.open(scope, signer.sign(scope, encodeCursor(subject))))).toBe(subject);
      }),
    );
  });

  it('refuses a forged cursor, one for another scope, one signed with another key, and any altered one', () => {
    const forged = Buffer.from(JSON.stringify({ after: 'zzz' })).toString('base64url');
    expect(() => signer.open('c1', forged)).toThrow(expect.objectContaining({ code: 'invalid_cursor' }));
    const real = signer.sign('c1', encodeCursor('alice'));
    expect(() => signer.open('c2', real)).toThrow(expect.objectContaining({ code: 'invalid_cursor' }));
    expect(() => new CursorSigner(randomBytes(32)).open('c1', real)).toThrow(expect.objectContaining({ code: 'invalid_cursor' }));
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (token) => {
        fc.pre(token !== real);
        expect(() => signer.open('c1', token)).toThrow(expect.objectContaining({ code: 'invalid_cursor' }));
      }),
    );
  });

  it('needs a key of at least 16 bytes', () => {
    expect(() => new CursorSigner(new Uint8Array(8))).toThrow();
  });
});
