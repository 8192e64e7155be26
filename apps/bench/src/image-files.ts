import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif', '.pgm', '.bmp']);

export interface LabelledImage {
  identity: string;
  path: string;
}

/** `<root>/<identity>/<file>`; files directly under root are ignored. Sorted for reproducible runs. */
export async function listIdentityImages(root: string): Promise<LabelledImage[]> {
  const out: LabelledImage[] = [];
  const ids = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const id of ids) {
    const files = (await readdir(join(root, id), { withFileTypes: true }))
      .filter((f) => f.isFile() && IMAGE_EXT.has(extname(f.name).toLowerCase()))
      .map((f) => f.name)
      .sort();
    for (const f of files) out.push({ identity: id, path: join(root, id, f) });
  }
  return out;
}

/** Every image file below root, recursively, sorted. */
export async function listImagesRecursive(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && IMAGE_EXT.has(extname(e.name).toLowerCase()))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
