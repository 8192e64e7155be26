import { ARCFACE_TEMPLATE, estimateSimilarity, invertSimilarity } from './similarity-transform.ts';
import type { Point, RgbImage } from './types.ts';

export const ALIGNED_SIZE = 112;

/** Supersampling cap per axis: more taps measured no accuracy gain on facescrub and cost ~10 ms of main-thread JS per large face. */
const MAX_TAPS = 2;

/**
 * Warps the face onto the ArcFace 112x112 template by inverse mapping. Outside the image reads as black,
 * like cv2.warpAffine's default border the recognisers were trained with. When the face is much larger
 * than the template, each output pixel averages a k x k grid of bilinear taps over its footprint: plain
 * bilinear point sampling would alias (a face with 300 px between the eyes shrinks ~9x).
 */
export function alignFace(image: RgbImage, landmarks: readonly Point[], size = ALIGNED_SIZE): RgbImage {
  const scale = size / ALIGNED_SIZE;
  const dst = ARCFACE_TEMPLATE.map(([x, y]): Point => [x * scale, y * scale]);
  const fwd = estimateSimilarity(landmarks, dst);
  const inv = invertSimilarity(fwd);
  const shrink = 1 / Math.hypot(fwd.a, fwd.b); // source pixels per output pixel
  const k = Math.min(MAX_TAPS, Math.max(1, Math.round(shrink)));
  const { data: src, width: W, height: H } = image;
  const out = new Uint8Array(size * size * 3);
  const norm = 1 / (k * k);
  // Inlined and monomorphic: this loop runs on the JS thread that also drives ORT, so every ms here is
  // a ms the models wait.
  const maxX = W - 1;
  const maxY = H - 1;
  const { a, b, tx, ty } = inv;
  // a * s and b * s for every tap position s along an axis (the same for rows and columns): products the
  // loop would otherwise redo per tap, with the same rounding.
  const taps = size * k;
  const aS = new Float64Array(taps);
  const bS = new Float64Array(taps);
  for (let t = 0; t < taps; t++) {
    const sub = Math.floor(t / k);
    const s = sub + (t - sub * k + 0.5) / k - 0.5;
    aS[t] = a * s;
    bS[t] = b * s;
  }
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      let r = 0;
      let g = 0;
      let bl = 0;
      for (let j = 0; j < k; j++) {
        const asv = aS[v * k + j]!;
        const bsv = bS[v * k + j]!;
        for (let i = 0; i < k; i++) {
          let fx = aS[u * k + i]! - bsv + tx;
          let fy = bS[u * k + i]! + asv + ty;
          fx = fx < 0 ? 0 : fx > maxX ? maxX : fx;
          fy = fy < 0 ? 0 : fy > maxY ? maxY : fy;
          // Non-negative after the clamp, so truncation is floor (and much cheaper than Math.floor here).
          const x0 = fx | 0;
          const y0 = fy | 0;
          const ax = fx - x0;
          const ay = fy - y0;
          const o00 = (y0 * W + x0) * 3;
          const w00 = (1 - ax) * (1 - ay);
          if (x0 < maxX && y0 < maxY) {
            // Inside the image (nearly every tap): all four neighbours exist.
            const o10 = o00 + 3;
            const o01 = o00 + W * 3;
            const o11 = o01 + 3;
            const w10 = ax * (1 - ay);
            const w01 = (1 - ax) * ay;
            const w11 = ax * ay;
            r += src[o00]! * w00 + src[o10]! * w10 + src[o01]! * w01 + src[o11]! * w11;
            g += src[o00 + 1]! * w00 + src[o10 + 1]! * w10 + src[o01 + 1]! * w01 + src[o11 + 1]! * w11;
            bl += src[o00 + 2]! * w00 + src[o10 + 2]! * w10 + src[o01 + 2]! * w01 + src[o11 + 2]! * w11;
            continue;
          }
          // On the last row or column: neighbours past it read as black, like cv2.warpAffine's constant border.
          const hasX = x0 + 1 < W;
          const hasY = y0 + 1 < H;
          const o01 = o00 + W * 3;
          const w10 = hasX ? ax * (1 - ay) : 0;
          const w01 = hasY ? (1 - ax) * ay : 0;
          const w11 = hasX && hasY ? ax * ay : 0;
          const o10 = hasX ? o00 + 3 : o00;
          const o11 = hasX && hasY ? o01 + 3 : o00;
          const o01s = hasY ? o01 : o00;
          r += src[o00]! * w00 + src[o10]! * w10 + src[o01s]! * w01 + src[o11]! * w11;
          g += src[o00 + 1]! * w00 + src[o10 + 1]! * w10 + src[o01s + 1]! * w01 + src[o11 + 1]! * w11;
          bl += src[o00 + 2]! * w00 + src[o10 + 2]! * w10 + src[o01s + 2]! * w01 + src[o11 + 2]! * w11;
        }
      }
      const o = (v * size + u) * 3;
      out[o] = Math.round(r * norm);
      out[o + 1] = Math.round(g * norm);
      out[o + 2] = Math.round(bl * norm);
    }
  }
  return { data: out, width: size, height: size };
}
