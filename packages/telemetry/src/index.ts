export { Metrics, type QueueDepthSource, type IndexSizeSource } from './metrics.ts';
export { queueDepthSource } from './queue-depth.ts';
export { instrumentHandlers, type InstrumentOptions, type JobObserver } from './job-instrumentation.ts';
export { pipelineObserver } from './pipeline-observer.ts';
export { instrumentVectorIndex } from './instrumented-vector-index.ts';
export { startMetricsServer, type MetricsServer, type ProcessHealth } from './metrics-server.ts';
export { boundedCode, boundedMethod, PIPELINE_STAGES, type PipelineStage } from './labels.ts';
