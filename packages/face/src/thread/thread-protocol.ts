import type { SerializedError } from '@facerec/errors';
import type { AnalyzeOptions, ImageAnalysis, PipelineStats } from '../face-pipeline.ts';

export type ThreadRequest = { type: 'analyze'; id: number; image: Uint8Array; opts: AnalyzeOptions } | { type: 'stats'; id: number };

export type ThreadReply =
  | { type: 'ready'; providers: string[]; providerFallbacks: string[] }
  | { type: 'load-failed'; error: SerializedError }
  | { type: 'result'; id: number; analysis: ImageAnalysis }
  | { type: 'error'; id: number; error: SerializedError }
  | { type: 'stats'; id: number; stats: PipelineStats };
