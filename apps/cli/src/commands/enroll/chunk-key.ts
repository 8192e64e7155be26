import { createHash } from 'node:crypto';
import type { EnrollManifestEntry } from '@facerec/client';

export interface ChunkFile {
  ref: string;
  bytes: Uint8Array;
}

export interface ChunkOptions {
  collection: string;
  allowMultiple: boolean;
  onConflict: 'reject' | 'allow';
}

/**
 * The chunk's Idempotency-Key: a hash of everything that makes up its request (collection, options, and
 * each file's name, size, content hash and manifest entry). A rerun over the same folder builds the same
 * keys, so the service answers with the jobs it already has instead of starting new ones; a changed file
 * changes its chunk's key (the service would refuse the same key with another body).
 */
export function chunkKey(options: ChunkOptions, files: ChunkFile[], manifest: Record<string, EnrollManifestEntry>): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ v: 1, collection: options.collection, allow_multiple: options.allowMultiple, on_conflict: options.onConflict }));
  for (const file of files) {
    const content = createHash('sha256').update(file.bytes).digest('hex');
    h.update(`\n${JSON.stringify([file.ref, file.bytes.byteLength, content, manifest[file.ref] ?? null])}`);
  }
  return `facerec-cli-enroll-${h.digest('hex')}`;
}
