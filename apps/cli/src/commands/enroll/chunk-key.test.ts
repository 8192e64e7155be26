import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChunkFile, type ChunkOptions, chunkKey } from './chunk-key.ts';

const file = fc.record({ ref: fc.string({ minLength: 1, maxLength: 40 }), bytes: fc.uint8Array({ minLength: 0, maxLength: 64 }) });
const options = fc.record({ collection: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/), allowMultiple: fc.boolean(), onConflict: fc.constantFrom('reject' as const, 'allow' as const) });
const chunk = fc.uniqueArray(file, { minLength: 1, maxLength: 8, selector: (f) => f.ref });
const manifestOf = (files: ChunkFile[]) => Object.fromEntries(files.map((f) => [f.ref, `s-${f.ref}`]));

describe('chunkKey', () => {
  it('is the same for the same chunk, fits the Idempotency-Key limit, and names no file', () => {
    fc.assert(
      fc.property(options, chunk, (o, files) => {
        const key = chunkKey(o, files, manifestOf(files));
        expect(chunkKey({ ...o }, files.map((f) => ({ ref: f.ref, bytes: Uint8Array.from(f.bytes) })), manifestOf(files))).toBe(key);
        expect(key).toMatch(/^facerec-cli-enroll-[0-9a-f]{64}$/);
      }),
    );
  });

  it('changes with any file byte, name, manifest entry, order or option', () => {
    fc.assert(
      fc.property(options, chunk, fc.nat(), (o, files, pick) => {
        const manifest = manifestOf(files);
        const key = chunkKey(o, files, manifest);
        const i = pick % files.length;
        const f = files[i]!;
        const withFile = (g: ChunkFile) => files.map((x, j) => (j === i ? g : x));
        const flipped = f.bytes.length ? Uint8Array.from(f.bytes, (b, j) => (j === 0 ? b ^ 1 : b)) : Uint8Array.of(0);
        expect(chunkKey(o, withFile({ ref: f.ref, bytes: flipped }), manifest)).not.toBe(key);
        expect(chunkKey(o, withFile({ ref: `${f.ref}x`, bytes: f.bytes }), { ...manifest, [`${f.ref}x`]: manifest[f.ref]! })).not.toBe(key);
        expect(chunkKey(o, files, { ...manifest, [f.ref]: { subject_id: 'other', face_index: 1 } })).not.toBe(key);
        expect(chunkKey({ ...o, allowMultiple: !o.allowMultiple }, files, manifest)).not.toBe(key);
        expect(chunkKey({ ...o, onConflict: o.onConflict === 'allow' ? 'reject' : 'allow' } satisfies ChunkOptions, files, manifest)).not.toBe(key);
        expect(chunkKey({ ...o, collection: `${o.collection}x` }, files, manifest)).not.toBe(key);
        if (files.length > 1) expect(chunkKey(o, [...files].reverse(), manifest)).not.toBe(key);
      }),
    );
  });
});
