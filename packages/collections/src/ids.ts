import { createHash, randomUUID } from 'node:crypto';

/** Formats 16 bytes of a digest as a uuid, the id shape both vector index adapters accept. */
function uuidFrom(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Derived, not random: a client retrying after a crash or a lost response lands on the same id, so the
 * retry overwrites rather than duplicates.
 */
export function faceIdFor(collectionId: string, subjectId: string, imageSha256: string): string {
  return uuidFrom(createHash('sha256').update(`${collectionId}\0${subjectId}\0${imageSha256}`).digest('hex'));
}

/** A fresh id per created collection, so a deleted-then-recreated name never sees the old vectors. */
export function newCollectionId(): string {
  return `c_${randomUUID().replaceAll('-', '')}`;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
