import type { Box } from './types.ts';

/** Boxes whose areas differ by less than this fraction count as the same size. */
const AREA_TIE = 0.02;

/**
 * Index of the face the user most likely meant: the largest box, and among near-equal largest boxes the one
 * nearest the image centre. -1 for an empty list.
 */
export function pickPrimaryFace(faces: readonly { box: Box }[], imageWidth: number, imageHeight: number): number {
  let best = -1;
  let bestArea = 0;
  let bestDist = Infinity;
  const cx = imageWidth / 2;
  const cy = imageHeight / 2;
  for (let i = 0; i < faces.length; i++) {
    const b = faces[i]!.box;
    const area = b.width * b.height;
    const dist = Math.hypot(b.x + b.width / 2 - cx, b.y + b.height / 2 - cy);
    const tie = best >= 0 && Math.abs(area - bestArea) <= AREA_TIE * Math.max(area, bestArea);
    if (best < 0 || (tie ? dist < bestDist : area > bestArea)) {
      best = i;
      bestArea = area;
      bestDist = dist;
    }
  }
  return best;
}
