import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { SessionOptions } from './options.ts';

/** Folders holding onnxruntime-node's binding for this platform (one per N-API version it ships). */
function bindingDirs(): string[] {
  const bin = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin');
  if (!existsSync(bin)) return [];
  return readdirSync(bin)
    .filter((d) => d.startsWith('napi-v'))
    .map((d) => join(bin, d, process.platform, process.arch));
}

function providerLibrary(name: string): string {
  return process.platform === 'win32' ? `onnxruntime_providers_${name}.dll` : `libonnxruntime_providers_${name}.so`;
}

/**
 * The requested execution providers this installation can actually open, in the requested order, with
 * 'cpu' always last. Providers the binding bundles (cpu, webgpu) are kept; those it loads from a separate
 * library (cuda, tensorrt) are kept only when that library sits next to the binding: onnxruntime-node is
 * installed with its CUDA download skipped on CPU machines, and asking ORT for a missing provider fails
 * session creation instead of falling back. Names this build does not know are dropped.
 */
export function resolveProviders(requested: readonly string[]): string[] {
  const supported = new Map(ort.listSupportedBackends().map((b) => [b.name, b.bundled]));
  const dirs = bindingDirs();
  const out: string[] = [];
  for (const raw of requested) {
    const name = raw.trim().toLowerCase();
    if (name === 'cpu' || out.includes(name) || !supported.has(name)) continue;
    if (supported.get(name) || dirs.some((d) => existsSync(join(d, providerLibrary(name))))) out.push(name);
  }
  return [...out, 'cpu'];
}

/** One place that turns our options into ORT's, so detector, embedder and benchmarks run identically. */
export function toOrtOptions(opts: SessionOptions): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: resolveProviders(opts.providers),
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    ...(opts.threads > 0 ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : {}),
  };
}

export async function createSession(modelPath: string, opts: SessionOptions, extra: ort.InferenceSession.SessionOptions = {}): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(modelPath, { ...toOrtOptions(opts), ...extra });
}

export { ort };
