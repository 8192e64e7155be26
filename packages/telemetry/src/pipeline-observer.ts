import type { JobObserver } from './job-instrumentation.ts';
import { isPipelineStage } from './labels.ts';
import type { Metrics } from './metrics.ts';

/**
 * Reads an extract job's result (the pipeline's Extraction: `timings_ms` per stage, `face_count`) into the
 * stage and faces-per-image histograms. A `no_face` failure is an analysed image with no face.
 */
export function pipelineObserver(metrics: Metrics): JobObserver {
  return {
    succeeded(result) {
      const timings = result['timings_ms'];
      if (timings && typeof timings === 'object') {
        for (const [stage, ms] of Object.entries(timings as Record<string, unknown>)) {
          if (isPipelineStage(stage) && typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) metrics.pipelineStage.observe({ stage }, ms / 1000);
        }
      }
      const faces = result['face_count'];
      if (typeof faces === 'number' && Number.isFinite(faces)) metrics.facesPerImage.observe(faces);
    },
    failed(error) {
      if (error.code === 'no_face') metrics.facesPerImage.observe(0);
    },
  };
}
