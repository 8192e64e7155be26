import type { FaceSelection } from '@facerec/face';

type Box = { x: number; y: number; width: number; height: number };

/** A client's face_index / face_box as the pipeline's selection; undefined when neither was given. */
export function faceSelection(faceIndex: number | undefined, faceBox: Box | undefined): FaceSelection | undefined {
  if (faceIndex !== undefined) return { index: faceIndex };
  if (faceBox !== undefined) return { box: faceBox };
  return undefined;
}
