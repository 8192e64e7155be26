export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Point = [number, number];

/** A detection in some image's pixel coordinates; landmarks in ArcFace template order. */
export interface Detection {
  box: Box;
  score: number;
  /** Right eye, left eye (of the subject), nose tip, right and left mouth corners. */
  landmarks: Point[];
}

/** Packed RGB (3 channels, row-major) 8-bit pixels. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}
