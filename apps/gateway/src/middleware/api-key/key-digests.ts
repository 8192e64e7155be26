import { createHash, timingSafeEqual } from 'node:crypto';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Keeps only sha256 digests of `keys` and answers which one a presented key is. Every digest is compared
 * (constant time, no early exit), so neither the key nor which entry matched shows in the timing.
 */
export function keyMatcher(keys: readonly string[]): { size: number; match(presented: string): Buffer | undefined } {
  const digests = keys.map(sha256);
  return {
    size: digests.length,
    match(presented) {
      const digest = sha256(presented);
      let found: Buffer | undefined;
      for (const d of digests) if (timingSafeEqual(d, digest)) found ??= d;
      return found;
    },
  };
}
