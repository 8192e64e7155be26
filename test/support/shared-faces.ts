import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The labelled photo sets live beside the checkout (../shared/faces) and are never committed. */
export const facesRoot = fileURLToPath(new URL('../../../shared/faces/', import.meta.url));

export function identities(set: string): string[] {
  return readdirSync(join(facesRoot, set), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export function photos(set: string, identity: string): string[] {
  return readdirSync(join(facesRoot, set, identity))
    .filter((f) => /\.(jpe?g|png|webp)$/i.test(f))
    .sort()
    .map((f) => join(facesRoot, set, identity, f));
}

export function readPhoto(path: string): Buffer {
  return readFileSync(path);
}
