import type { Detection, Point } from './types.ts';

export interface YunetOutputs {
  /** Keyed by output name: cls_8, obj_8, bbox_8, kps_8, ... each a flat [N * k] array. */
  [name: string]: Float32Array;
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/**
 * Turns YuNet's per-stride grids into detections in input-tensor pixels (before NMS). Follows OpenCV's
 * face_detect.cpp: anchor-free, one prior per cell, row-major over a (H/stride) x (W/stride) grid.
 */
export function decodeYunet(
  outputs: YunetOutputs,
  inputWidth: number,
  inputHeight: number,
  strides: readonly number[],
  scoreThreshold: number,
): Detection[] {
  const dets: Detection[] = [];
  for (const stride of strides) {
    const cls = outputs[`cls_${stride}`];
    const obj = outputs[`obj_${stride}`];
    const bbox = outputs[`bbox_${stride}`];
    const kps = outputs[`kps_${stride}`];
    if (!cls || !obj || !bbox || !kps) throw new Error(`YuNet output for stride ${stride} is missing`);
    const cols = Math.ceil(inputWidth / stride);
    const rows = Math.ceil(inputHeight / stride);
    const n = Math.min(cls.length, rows * cols);
    for (let i = 0; i < n; i++) {
      const score = Math.sqrt(clamp01(cls[i]!) * clamp01(obj[i]!));
      if (score < scoreThreshold) continue;
      const r = Math.floor(i / cols);
      const c = i - r * cols;
      const cx = (c + bbox[i * 4]!) * stride;
      const cy = (r + bbox[i * 4 + 1]!) * stride;
      const w = Math.exp(bbox[i * 4 + 2]!) * stride;
      const h = Math.exp(bbox[i * 4 + 3]!) * stride;
      const landmarks: Point[] = [];
      for (let k = 0; k < 5; k++) {
        landmarks.push([(c + kps[i * 10 + 2 * k]!) * stride, (r + kps[i * 10 + 2 * k + 1]!) * stride]);
      }
      dets.push({ box: { x: cx - w / 2, y: cy - h / 2, width: w, height: h }, score, landmarks });
    }
  }
  return dets;
}
