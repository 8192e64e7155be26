export {
  loadManifest,
  findModel,
  defaultThreshold,
  manifestSchema,
  thresholdsSchema,
  livenessThresholdSchema,
  type ModelManifest,
  type LivenessEntry,
  type ModelEntry,
  type DetectorEntry,
  type EmbedderEntry,
  type Thresholds,
} from './manifest.ts';
export { prepareModel, prepareModels, ModelUnavailableError, type PrepareOptions, type PrepareOutcome } from './prepare.ts';
