import { ValidationError } from '@facerec/errors';

/** Bytes of `{"points":[` + `]}` plus the wait/ordering fields the client adds around the points. */
export const REQUEST_ENVELOPE_BYTES = 64;

/**
 * Splits points, given their serialised sizes, into request bodies of at most `maxBytes` (UTF-8, commas and envelope
 * included) and `maxCount` points, in order. Qdrant refuses a body over its `service.max_request_size_mb`
 * (32 by default) outright, and a point's JSON grows with the dimension (~2.8 KB at 128-d, ~88 KB at
 * 4096-d), so a count alone cannot keep a request under it.
 */
export function batchBySize(sizes: readonly number[], maxBytes: number, maxCount: number): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = REQUEST_ENVELOPE_BYTES;
  for (let i = 0; i < sizes.length; i++) {
    const size = sizes[i]!;
    if (size + REQUEST_ENVELOPE_BYTES > maxBytes) {
      throw new ValidationError(
        `One record serialises to ${size} bytes of JSON, more than the Qdrant request limit of ${maxBytes} bytes (QDRANT_MAX_REQUEST_BYTES)`,
        'record_too_large',
        { bytes: size, limit: maxBytes },
      );
    }
    if (current.length >= maxCount || bytes + (current.length > 0 ? 1 : 0) + size > maxBytes) {
      batches.push(current);
      current = [];
      bytes = REQUEST_ENVELOPE_BYTES;
    }
    bytes += (current.length > 0 ? 1 : 0) + size;
    current.push(i);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
