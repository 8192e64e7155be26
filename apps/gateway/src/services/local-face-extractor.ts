import { ServiceUnavailableError } from '@facerec/errors';
import type { FacePipeline, ImageAnalysis } from '@facerec/face';
import type { Logger } from '../logger.ts';
import type { ExtractOptions, Extraction, ExtractorStatus, FaceExtractor } from './face-extractor.ts';

const round = (v: number, digits = 2) => Number(v.toFixed(digits));

export function toExtraction(pipeline: FacePipeline, analysis: ImageAnalysis): Extraction {
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

/**
 * Runs the pipeline in this process. Model loading starts at construction and the extractor answers 503
 * until it finishes, so the HTTP port opens at once and /health tells orchestrators when to send traffic.
 */
export function createLocalFaceExtractor(load: () => Promise<FacePipeline>, logger: Logger): FaceExtractor {
  let pipeline: FacePipeline | undefined;
  let status: ExtractorStatus = { ready: false, detail: 'models are loading' };
  const loading = load().then(
    (p) => {
      pipeline = p;
      status = { ready: true, detail: 'ready' };
      logger.info('models loaded', { detector: p.detector.id, embedder: p.embedder.id, dimension: p.dimension });
      return p;
    },
    (err: Error) => {
      status = { ready: false, detail: `model load failed: ${err.message}` };
      logger.error('model load failed', { error: err.message, stack: err.stack });
      return undefined;
    },
  );

  return {
    mode: 'embedded',
    status: () => status,
    ready: async () => {
      if (!(await loading)) throw new Error(status.detail);
    },
    async extract(image: Uint8Array, opts: ExtractOptions) {
      if (!pipeline) throw new ServiceUnavailableError(`Face models are not ready (${status.detail})`, 'models_not_ready');
      const analysis = await pipeline.analyze(image, { faces: opts.faces, ...(opts.flipTta !== undefined ? { flipTta: opts.flipTta } : {}) });
      return toExtraction(pipeline, analysis);
    },
    async close() {
      const p = await loading;
      await p?.close();
    },
  };
}
