import { ValidationError } from '@facerec/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchBySize, REQUEST_ENVELOPE_BYTES } from './upsert-batches.ts';

describe('batchBySize', () => {
  it('keeps every point once, in order, every request under both limits, and no request splittable by merging', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100_000 }), { maxLength: 300 }),
        fc.integer({ min: 100_000 + REQUEST_ENVELOPE_BYTES, max: 2_000_000 }),
        fc.integer({ min: 1, max: 50 }),
        (sizes, maxBytes, maxCount) => {
          const batches = batchBySize(sizes, maxBytes, maxCount);
          expect(batches.flat()).toEqual(sizes.map((_, i) => i));
          const bytes = (b: number[]) => REQUEST_ENVELOPE_BYTES + b.reduce((s, i) => s + sizes[i]!, 0) + Math.max(0, b.length - 1);
          for (const b of batches) {
            expect(b.length).toBeGreaterThan(0);
            expect(b.length).toBeLessThanOrEqual(maxCount);
            expect(bytes(b)).toBeLessThanOrEqual(maxBytes);
          }
          // Greedy: a batch closes only because the next point would not fit.
          for (let k = 0; k + 1 < batches.length; k++) {
            const next = batches[k + 1]![0]!;
            const grown = [...batches[k]!, next];
            expect(grown.length > maxCount || bytes(grown) > maxBytes).toBe(true);
          }
        },
      ),
    );
  });

  it('refuses, before anything is sent, a single point larger than a request may be', () => {
    expect(() => batchBySize([10, 5_000_000, 10], 1_000_000, 100)).toThrow(ValidationError);
    expect(() => batchBySize([10, 5_000_000, 10], 1_000_000, 100)).toThrow(/QDRANT_MAX_REQUEST_BYTES/);
  });
});
