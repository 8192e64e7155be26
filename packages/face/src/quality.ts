import type { QualityOptions } from './options.ts';
import type { Point, RgbImage } from './types.ts';

export type QualityReason =
  | 'too_small'
  | 'low_score'
  | 'blurry'
  | 'too_dark'
  | 'too_bright'
  | 'low_contrast'
  | 'extreme_pose'
  | 'multiple_faces';

export interface QualityMetrics {
  /** Distance between the eye landmarks in original-image pixels. */
  eyeDistance: number;
  detScore: number;
  /** Variance of the 4-neighbour Laplacian of the aligned grey crop's inner region. */
  sharpness: number;
  /** Mean grey level (0..255) of the aligned crop's inner region. */
  brightness: number;
  /** Standard deviation of grey levels of the aligned crop's inner region. */
  contrast: number;
  /** Degrees, signed; 0 = frontal. Crude: from landmarks, not a 3-D fit. */
  yaw: number;
  /** Degrees, signed; angle of the eye line from horizontal. */
  roll: number;
}

export interface FaceQuality {
  /** True when no blocking reason applies (`multiple_faces` is advisory). */
  passed: boolean;
  reasons: QualityReason[];
  metrics: QualityMetrics;
}

/** Reasons that only inform; everything else blocks. */
const ADVISORY: ReadonlySet<QualityReason> = new Set(['multiple_faces']);

/**
 * Ratio of nose depth (in front of the eye plane) to inter-ocular distance on an average adult head; turns
 * the nose's sideways offset into an angle: offset / eyeDist = NOSE_DEPTH * tan(yaw).
 */
const NOSE_DEPTH = 0.5;

/**
 * The statistics skip the crop's outer margin, which holds background, hair and the black fill of faces
 * near the image edge rather than the face.
 */
const MARGIN = 16;

export function poseFromLandmarks(landmarks: readonly Point[]): { yaw: number; roll: number; eyeDistance: number } {
  const [re, le, nose] = landmarks as [Point, Point, Point];
  const ex = le[0] - re[0];
  const ey = le[1] - re[1];
  const eyeDistance = Math.hypot(ex, ey);
  const roll = (Math.atan2(ey, ex) * 180) / Math.PI;
  if (eyeDistance === 0) return { yaw: 90, roll, eyeDistance };
  const mx = (re[0] + le[0]) / 2;
  const my = (re[1] + le[1]) / 2;
  // Signed offset of the nose along the eye line, in eye distances.
  const t = ((nose[0] - mx) * ex + (nose[1] - my) * ey) / (eyeDistance * eyeDistance);
  const yaw = (Math.atan(t / NOSE_DEPTH) * 180) / Math.PI;
  return { yaw, roll, eyeDistance };
}

export function cropStatistics(crop: RgbImage): { sharpness: number; brightness: number; contrast: number } {
  const { data, width: w, height: h } = crop;
  const grey = new Float32Array(w * h);
  for (let i = 0, p = 0; i < grey.length; i++, p += 3) {
    grey[i] = 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!;
  }
  let sum = 0, sum2 = 0, lsum = 0, lsum2 = 0, n = 0;
  for (let y = MARGIN; y < h - MARGIN; y++) {
    for (let x = MARGIN; x < w - MARGIN; x++) {
      const i = y * w + x;
      const g = grey[i]!;
      const lap = grey[i - 1]! + grey[i + 1]! + grey[i - w]! + grey[i + w]! - 4 * g;
      sum += g; sum2 += g * g; lsum += lap; lsum2 += lap * lap; n++;
    }
  }
  const brightness = sum / n;
  const contrast = Math.sqrt(Math.max(0, sum2 / n - brightness * brightness));
  const lm = lsum / n;
  const sharpness = Math.max(0, lsum2 / n - lm * lm);
  return { sharpness, brightness, contrast };
}

export function assessQuality(
  crop: RgbImage,
  landmarks: readonly Point[],
  detScore: number,
  q: QualityOptions,
  extra: readonly QualityReason[] = [],
): FaceQuality {
  const pose = poseFromLandmarks(landmarks);
  const stats = cropStatistics(crop);
  const metrics: QualityMetrics = { eyeDistance: pose.eyeDistance, detScore, ...stats, yaw: pose.yaw, roll: pose.roll };
  const reasons: QualityReason[] = [];
  if (metrics.eyeDistance < q.minEyeDistance) reasons.push('too_small');
  if (detScore < q.minDetScore) reasons.push('low_score');
  if (metrics.sharpness < q.minSharpness) reasons.push('blurry');
  if (metrics.brightness < q.minBrightness) reasons.push('too_dark');
  if (metrics.brightness > q.maxBrightness) reasons.push('too_bright');
  if (metrics.contrast < q.minContrast) reasons.push('low_contrast');
  if (Math.abs(metrics.yaw) > q.maxYaw || Math.abs(metrics.roll) > q.maxRoll) reasons.push('extreme_pose');
  reasons.push(...extra);
  return { passed: reasons.every((r) => ADVISORY.has(r)), reasons, metrics };
}
