import type { SerializedError } from '@facerec/errors';
import type { AnalyzeOptions, EmbedCropsOptions, ImageAnalysis, PipelineStats } from '../face-pipeline.ts';
import type { RgbImage } from '../types.ts';

export type ThreadRequest =
  | { type: 'analyze'; id: number; image: Uint8Array; opts: AnalyzeOptions }
  | { type: 'embed'; id: number; crops: RgbImage[]; opts: EmbedCropsOptions }
  | { type: 'stats'; id: number };

export interface EmbedReply {
  embedder: string;
  dimension: number;
  vectors: Float32Array[];
}

export type ThreadReply =
  | { type: 'ready'; providers: string[]; providerFallbacks: string[] }
  | { type: 'load-failed'; error: SerializedError }
  | { type: 'result'; id: number; analysis: ImageAnalysis }
  | { type: 'embedded'; id: number; result: EmbedReply }
  | { type: 'error'; id: number; error: SerializedError }
  | { type: 'stats'; id: number; stats: PipelineStats };
