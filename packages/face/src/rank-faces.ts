import type { Box } from './types.ts';

/**
 * How much nearer the centre counts: a face's prominence is its area times exp(-(d / CENTRE_SCALE)^2), with d
 * the distance of its centre from the image centre in image widths/heights (0 at the centre, 0.71 in a corner).
 * Photos are framed on their subject; a bystander is off-centre, a poster behind them small.
 */
const CENTRE_SCALE = 0.25;

/**
 * The first-ranked face is "dominant" when it is at least this many times as prominent as the next: then a
 * photo with bystanders still names one person. Chosen on the labelled photos with several faces in
 * ../shared/faces (38 of 39 dominant, none of them the wrong person; see README, "Enrollment of real photos").
 */
export const DOMINANCE_RATIO = 2;

export function prominence(box: Box, imageWidth: number, imageHeight: number): number {
  const dx = (box.x + box.width / 2) / imageWidth - 0.5;
  const dy = (box.y + box.height / 2) / imageHeight - 0.5;
  return box.width * box.height * Math.exp(-(dx * dx + dy * dy) / (CENTRE_SCALE * CENTRE_SCALE));
}

export interface FaceRanking {
  /** Indices into the input, most prominent first. */
  order: number[];
  /** Whether the first face is clearly the photo's subject (always true for a single face). */
  dominant: boolean;
}

/** Orders faces by prominence (ties: the input order) and says whether the first one dominates the photo. */
export function rankFaces(faces: readonly { box: Box }[], imageWidth: number, imageHeight: number): FaceRanking {
  const p = faces.map((f) => prominence(f.box, imageWidth, imageHeight));
  const order = faces.map((_, i) => i).sort((a, b) => p[b]! - p[a]! || a - b);
  const first = p[order[0]!] ?? 0;
  const second = p[order[1]!] ?? 0;
  return { order, dominant: order.length > 0 && first >= DOMINANCE_RATIO * second };
}
