import type { Config } from '@facerec/config';
import { createThreadedFacePipeline, detectBatching, type FacePipeline } from '@facerec/face';
import type { Logger } from '@facerec/logger';
import { findModel, loadManifest, prepareModels } from '@facerec/models';
import type { JobQueue, WorkerHandle } from '@facerec/queue';
import { instrumentHandlers, Metrics, pipelineObserver } from '@facerec/telemetry';
import { createFaceHandlers } from './face-handlers.ts';

export interface FaceWorker {
  pipeline: FacePipeline;
  close(): Promise<void>;
}

/**
 * Loads the models (verifying or fetching them first) and starts consuming `queue`. Used by the worker
 * process and by the all-in-one `npm start`, so both run exactly the same handlers. Jobs are measured into
 * `metrics` (the process's registry; a private one when the caller exports none) and log with their request id.
 */
export async function startFaceWorker(config: Config, queue: JobQueue, logger: Logger, metrics = new Metrics({ defaultMetrics: false })): Promise<FaceWorker> {
  const manifest = await loadManifest(config.models.manifestPath);
  const liveness = config.liveness;
  // With LIVENESS=off the liveness model is only checked (and its session made) when a request asks for it.
  const eager = liveness.mode === 'off' ? [] : [findModel(manifest, liveness.model, 'liveness')];
  await prepareModels([findModel(manifest, config.pipeline.detector, 'detect'), findModel(manifest, config.pipeline.embedder, 'embed'), ...eager], {
    modelsDir: config.models.dir,
    mirrorDir: config.models.mirror,
    allowDownload: config.models.allowDownload,
    log: (line) => logger.info(line),
  });
  const pipeline = await createThreadedFacePipeline({
    ...config.pipeline,
    manifest,
    modelsDir: config.models.dir,
    liveness: { model: liveness.model, threshold: liveness.threshold, preload: liveness.mode !== 'off' },
  });
  let handle: WorkerHandle;
  try {
    const handlers = instrumentHandlers(createFaceHandlers(pipeline), { metrics, logger, observers: { extract: pipelineObserver(metrics) } });
    handle = await queue.startWorker(handlers, { concurrency: config.queue.workerConcurrency });
  } catch (err) {
    await pipeline.close();
    throw err;
  }
  // One line, once per process, when a requested GPU provider could not start: the worker still serves, on the CPU.
  if (pipeline.providerFallbacks.length) {
    logger.warn('execution provider unavailable, falling back', { requestedProviders: config.pipeline.providers, providers: pipeline.providers, reasons: pipeline.providerFallbacks });
  }
  logger.info('models loaded', {
    detector: pipeline.detector.id,
    embedder: pipeline.embedder.id,
    dimension: pipeline.dimension,
    // What ORT really runs on: a requested provider whose library is missing here is dropped, not fatal.
    providers: pipeline.providers,
    requestedProviders: config.pipeline.providers,
    detectBatch: detectBatching(config.pipeline.detectBatch, pipeline.providers) ? config.pipeline.detectBatchMax : 1,
    liveness: liveness.mode,
    queue: queue.mode,
  });
  return {
    pipeline,
    async close() {
      // Finish (or hand back) in-flight jobs before the models go away.
      await handle.close();
      await pipeline.close();
    },
  };
}
