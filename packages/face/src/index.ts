export {
  createFacePipeline,
  detectBatching,
  type CreatePipelineArgs,
  type FacePipeline,
  type ImageAnalysis,
  type AnalyzedFace,
  type AnalyzeOptions,
  type FaceDetection,
  type FaceSelection,
  type EmbedCropsOptions,
  type LivenessOptions,
  type StageTimings,
  type PipelineStats,
} from './face-pipeline.ts';
export { DetectBatcher, type DetectBatchOptions, type DetectBatchStats, type DetectCall } from './detect-batcher.ts';
export { EmbedBatcher, type EmbedBatchOptions, type EmbedBatchStats } from './embed-batcher.ts';
export type { PipelineOptions, QualityOptions, SessionOptions } from './options.ts';
export type { Box, Point, Detection, RgbImage } from './types.ts';
export { cosineSimilarity, l2Normalize } from './cosine.ts';
export { rankFaces, prominence, DOMINANCE_RATIO, type FaceRanking } from './rank-faces.ts';
export { decodeImage, type DecodedImage, type DecodeOptions } from './decode-image.ts';
export { sniffImageFormat } from './image-format.ts';
export { YunetDetector, type DetectOptions, type DetectorInput } from './yunet-detector.ts';
export { decodeYunet, type YunetOutputs } from './yunet-decode.ts';
export { nms, iou } from './nms.ts';
export { alignFace, ALIGNED_SIZE } from './align-face.ts';
export { ARCFACE_TEMPLATE, estimateSimilarity, applySimilarity, invertSimilarity, type Similarity } from './similarity-transform.ts';
export { Embedder, type EmbedOptions, type EmbedRequest } from './embedder.ts';
export {
  assessQuality,
  cropStatistics,
  poseFromLandmarks,
  type QualityReason,
  type QualityMetrics,
  type FaceQuality,
} from './quality.ts';
export { resolveProviders, toOrtOptions } from './ort-session.ts';
export { createThreadedFacePipeline } from './thread/threaded-pipeline.ts';
export { toExtraction, type Extraction, type ExtractedFace } from './extraction.ts';
export { encodeCrop, decodeCrop, CROP_MEDIA_TYPE } from './crop-codec.ts';
export { LivenessChecker, type LivenessResult } from './liveness/liveness-checker.ts';
export { livenessCropBounds, livenessTensor, softmaxAt, type CropBounds } from './liveness/liveness-crop.ts';
