import type { SerializedError } from '@facerec/errors';
import type { SessionOptions } from '../options.ts';

export type InferenceRequest =
  | { type: 'open'; id: number; modelPath: string; opts: SessionOptions }
  | { type: 'run'; id: number; sid: number; feeds: Record<string, { data: Float32Array; dims: number[] }> }
  | { type: 'release'; id: number; sid: number };

export type InferenceReply =
  | { id: number; ok: true; sid?: number; providers?: string[]; fallbacks?: string[]; outputNames?: string[]; outputs?: Record<string, Float32Array> }
  | { id: number; ok: false; error: SerializedError };
