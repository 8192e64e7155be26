import type { FacePipeline, ImageAnalysis } from './face-pipeline.ts';

/**
 * The pipeline's answer as plain JSON: what a worker returns through the queue and what the HTTP routes
 * read. Numbers are rounded where extra digits are noise (pixels, scores); features keep full precision.
 */
export interface ExtractedFace {
  /** Position in `detections` (0 = the primary face). */
  index: number;
  box: { x: number; y: number; width: number; height: number };
  score: number;
  landmarks: Array<[number, number]>;
  quality: { passed: boolean; reasons: string[]; metrics: Record<string, number> };
  feature: number[];
  /** The passive liveness check, when it was asked for. */
  liveness?: { score: number; passed: boolean; model: string };
  /** The aligned 112x112 crop the embedder saw (see crop-codec.ts), base64, when it was asked for. */
  crop?: string;
}

export interface Extraction {
  model: { detector: string; embedder: string; dimension: number };
  width: number;
  height: number;
  face_count: number;
  /** Every detected face, most prominent (size, nearness to the centre) first. */
  detections: Array<{ index: number; box: { x: number; y: number; width: number; height: number }; score: number }>;
  /** Whether the primary face clearly dominates the others (a subject with bystanders, not a group). */
  primary_dominant: boolean;
  /** Embedded faces, in detection order. */
  faces: ExtractedFace[];
  timings_ms: Record<string, number>;
}

const round = (v: number, digits = 2) => Number(v.toFixed(digits));
const roundBox = (b: { x: number; y: number; width: number; height: number }) => ({ x: round(b.x, 1), y: round(b.y, 1), width: round(b.width, 1), height: round(b.height, 1) });

/** `crops[i]`: the encoded crop of `analysis.faces[i]`, when crops were asked for. */
export function toExtraction(pipeline: Pick<FacePipeline, 'detector'>, analysis: ImageAnalysis, crops?: readonly Uint8Array[]): Extraction {
  return {
    model: { detector: pipeline.detector.id, embedder: analysis.embedder, dimension: analysis.dimension },
    width: analysis.width,
    height: analysis.height,
    face_count: analysis.faceCount,
    detections: analysis.detections.map((d, index) => ({ index, box: roundBox(d.box), score: round(d.score, 4) })),
    primary_dominant: analysis.dominant,
    faces: analysis.faces.map((f, i) => ({
      index: f.index,
      box: roundBox(f.box),
      score: round(f.score, 4),
      landmarks: f.landmarks.map(([x, y]) => [round(x, 1), round(y, 1)] as [number, number]),
      quality: {
        passed: f.quality.passed,
        reasons: [...f.quality.reasons],
        metrics: Object.fromEntries(Object.entries(f.quality.metrics).map(([k, v]) => [k, round(v)])),
      },
      feature: Array.from(f.embedding),
      ...(f.liveness ? { liveness: { score: round(f.liveness.score, 4), passed: f.liveness.passed, model: f.liveness.model } } : {}),
      ...(crops?.[i] ? { crop: Buffer.from(crops[i]!).toString('base64') } : {}),
    })),
    timings_ms: Object.fromEntries(Object.entries(analysis.timings).map(([k, v]) => [k, round(v)])),
  };
}
