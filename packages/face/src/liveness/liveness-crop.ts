import type { Box, RgbImage } from '../types.ts';

/** Inclusive integer pixel bounds of the region a liveness model sees. */
export interface CropBounds {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * The region MiniFASNet was trained on, exactly as minivision's `CropImage._get_new_box`: the face box
 * scaled by `scale` about its centre, the scale first shrunk until the region fits the image, then the
 * region shifted back inside it; bounds truncated to integers as Python's int() does. A liveness model sees
 * the face with this much context (hair, background, the edges of a printed photo or a screen), so the
 * geometry must be the one it learnt, not our 112x112 alignment.
 */
export function livenessCropBounds(box: Box, imageWidth: number, imageHeight: number, scale: number): CropBounds {
  const w = Math.max(box.width, 1e-6);
  const h = Math.max(box.height, 1e-6);
  const s = Math.min((imageHeight - 1) / h, (imageWidth - 1) / w, scale);
  const newW = w * s;
  const newH = h * s;
  const cx = box.x + w / 2;
  const cy = box.y + h / 2;
  let left = cx - newW / 2;
  let top = cy - newH / 2;
  let right = cx + newW / 2;
  let bottom = cy + newH / 2;
  if (left < 0) {
    right -= left;
    left = 0;
  }
  if (top < 0) {
    bottom -= top;
    top = 0;
  }
  if (right > imageWidth - 1) {
    left -= right - imageWidth + 1;
    right = imageWidth - 1;
  }
  if (bottom > imageHeight - 1) {
    top -= bottom - imageHeight + 1;
    bottom = imageHeight - 1;
  }
  // Python's int() truncates toward zero; a region shifted past the origin by rounding stays inside.
  const clamp = (v: number, max: number) => Math.min(max, Math.max(0, Math.trunc(v)));
  return { left: clamp(left, imageWidth - 1), top: clamp(top, imageHeight - 1), right: clamp(right, imageWidth - 1), bottom: clamp(bottom, imageHeight - 1) };
}

/**
 * Resizes `src` to side x side the way cv2.resize(INTER_LINEAR) does (pixel centres aligned, edge pixels
 * repeated, no antialiasing), which is how the model's training crops were made, and lays it out as an
 * NCHW float tensor in `color` order with raw 0..255 values (MiniFASNet takes no mean or scale).
 */
export function livenessTensor(src: RgbImage, side: number, color: 'RGB' | 'BGR', mean: readonly number[], std: readonly number[]): Float32Array {
  const { data, width: W, height: H } = src;
  const plane = side * side;
  const out = new Float32Array(3 * plane);
  const order = color === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  const sx = W / side;
  const sy = H / side;
  for (let y = 0; y < side; y++) {
    let fy = (y + 0.5) * sy - 0.5;
    if (fy < 0) fy = 0;
    let y0 = Math.floor(fy);
    if (y0 > H - 1) y0 = H - 1;
    const y1 = Math.min(y0 + 1, H - 1);
    const ay = Math.min(1, fy - y0);
    for (let x = 0; x < side; x++) {
      let fx = (x + 0.5) * sx - 0.5;
      if (fx < 0) fx = 0;
      let x0 = Math.floor(fx);
      if (x0 > W - 1) x0 = W - 1;
      const x1 = Math.min(x0 + 1, W - 1);
      const ax = Math.min(1, fx - x0);
      const o00 = (y0 * W + x0) * 3;
      const o01 = (y0 * W + x1) * 3;
      const o10 = (y1 * W + x0) * 3;
      const o11 = (y1 * W + x1) * 3;
      for (let c = 0; c < 3; c++) {
        const k = order[c]!;
        const top = data[o00 + k]! * (1 - ax) + data[o01 + k]! * ax;
        const bottom = data[o10 + k]! * (1 - ax) + data[o11 + k]! * ax;
        // cv2 rounds the interpolated 8-bit value before the model sees it.
        const v = Math.round(top * (1 - ay) + bottom * ay);
        out[c * plane + y * side + x] = (v - mean[c]!) / std[c]!;
      }
    }
  }
  return out;
}

/** Probability of class `k` under a softmax of `logits` (computed stably). */
export function softmaxAt(logits: ArrayLike<number>, k: number): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
  return Math.exp(logits[k]! - max) / sum;
}
