import type { SerializedError } from '@facerec/errors';
import type { AnalyzeOptions, ImageAnalysis } from '../face-pipeline.ts';

export interface AnalyzeRequest {
  id: number;
  image: Uint8Array;
  opts: AnalyzeOptions;
}

export type ThreadReply =
  | { type: 'ready' }
  | { type: 'load-failed'; error: SerializedError }
  | { type: 'result'; id: number; analysis: ImageAnalysis }
  | { type: 'error'; id: number; error: SerializedError };
