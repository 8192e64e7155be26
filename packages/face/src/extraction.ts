import type { FacePipeline, ImageAnalysis } from './face-pipeline.ts';

/**
 * The pipeline's answer as plain JSON: what a worker returns through the queue and what the HTTP routes
 * read. Numbers are rounded where extra digits are noise (pixels, scores); features keep full precision.
 */
export interface ExtractedFace {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  landmarks: Array<[number, number]>;
  quality: { passed: boolean; reasons: string[]; metrics: Record<string, number> };
  feature: number[];
}

export interface Extraction {
  model: { detector: string; embedder: string; dimension: number };
  width: number;
  height: number;
  face_count: number;
  /** Embedded faces, primary (largest, then most central) first. */
  faces: ExtractedFace[];
  timings_ms: Record<string, number>;
}

const round = (v: number, digits = 2) => Number(v.toFixed(digits));

export function toExtraction(pipeline: Pick<FacePipeline, 'detector' | 'embedder' | 'dimension'>, analysis: ImageAnalysis): Extraction {
  return {
    model: { detector: pipeline.detector.id, embedder: pipeline.embedder.id, dimension: pipeline.dimension },
    width: analysis.width,
    height: analysis.height,
    face_count: analysis.faceCount,
    faces: analysis.faces.map((f) => ({
      box: { x: round(f.box.x, 1), y: round(f.box.y, 1), width: round(f.box.width, 1), height: round(f.box.height, 1) },
      score: round(f.score, 4),
      landmarks: f.landmarks.map(([x, y]) => [round(x, 1), round(y, 1)] as [number, number]),
      quality: {
        passed: f.quality.passed,
        reasons: [...f.quality.reasons],
        metrics: Object.fromEntries(Object.entries(f.quality.metrics).map(([k, v]) => [k, round(v)])),
      },
      feature: Array.from(f.embedding),
    })),
    timings_ms: Object.fromEntries(Object.entries(analysis.timings).map(([k, v]) => [k, round(v)])),
  };
}
