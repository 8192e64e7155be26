import { NoFaceError } from '@facerec/errors';
import type { ExtractedFace, Extraction } from './face-extractor.ts';

/** Single-face endpoints use the primary face; an image without one is the spec's "no qualified face" 400. */
export function primaryFace(extraction: Extraction): ExtractedFace {
  const face = extraction.faces[0];
  if (!face) throw new NoFaceError('No face was detected in the image', 'no_face', { face_count: 0 });
  return face;
}

export async function fileBytes(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}
