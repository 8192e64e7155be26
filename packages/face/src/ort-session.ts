import * as ort from 'onnxruntime-node';
import type { SessionOptions } from './options.ts';

/** One place that turns our options into ORT's, so detector, embedder and benchmarks run identically. */
export function toOrtOptions(opts: SessionOptions): ort.InferenceSession.SessionOptions {
  const providers = opts.providers.length > 0 ? opts.providers : ['cpu'];
  return {
    executionProviders: providers,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    ...(opts.threads > 0 ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : {}),
  };
}

export async function createSession(modelPath: string, opts: SessionOptions): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(modelPath, toOrtOptions(opts));
}

export { ort };
