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
  return checkProviders(requested).providers;
}

/** resolveProviders, plus one line per requested provider it dropped and why. */
function checkProviders(requested: readonly string[]): { providers: string[]; dropped: string[] } {
  const supported = new Map(ort.listSupportedBackends().map((b) => [b.name, b.bundled]));
  const dirs = bindingDirs();
  const out: string[] = [];
  const dropped: string[] = [];
  for (const raw of requested) {
    const name = raw.trim().toLowerCase();
    if (name === 'cpu' || out.includes(name)) continue;
    if (!supported.has(name)) dropped.push(`${name}: not an execution provider of this onnxruntime-node build`);
    else if (supported.get(name) || dirs.some((d) => existsSync(join(d, providerLibrary(name))))) out.push(name);
    else dropped.push(`${name}: ${providerLibrary(name)} is not installed next to onnxruntime-node's binding`);
  }
  return { providers: [...out, 'cpu'], dropped };
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

/** What the detector and embedder need of a session: an ORT session here, or one on an inference thread. */
export interface ModelSession {
  readonly outputNames: readonly string[];
  /** Float32 inputs by name; float32 outputs by name. */
  run(feeds: Record<string, ort.Tensor>): Promise<Record<string, { data: unknown }>>;
  release(): Promise<void>;
}

/** Opens a model's session: in this thread (openSession) or on an inference thread. */
export type SessionOpener = (modelPath: string, opts: SessionOptions) => Promise<OpenedSession>;

/** A session and what it really runs on. */
export interface OpenedSession {
  session: ModelSession;
  /** Providers the session was created with, in order, 'cpu' last. */
  providers: string[];
  /** One line per requested provider that failed to start here, e.g. "webgpu: Failed to get a WebGPU adapter". */
  fallbacks: string[];
}

/**
 * ORT's own message without its source-file prefix, on one line: e.g. "Failed to get a WebGPU adapter: No supported
 * adapters" rather than a path into onnxruntime_src and a stringified lambda.
 */
export function providerFailureReason(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
  const known = /(Failed to [^.]*|Couldn't load [^.]*|CUDA[^.]*|cannot open shared object[^.]*)/.exec(text);
  return (known ? known[1]! : text).slice(0, 200);
}

/**
 * Creates the session on the first usable prefix of the requested providers. A provider that is bundled but
 * cannot start on this machine (WebGPU without a Vulkan driver or adapter, CUDA without its runtime) makes ORT
 * fail session creation rather than fall back, so it is dropped and the session retried without it: a GPU worker
 * started on the wrong machine still serves, on the CPU, and says why.
 */
export async function openSession(modelPath: string, opts: SessionOptions): Promise<OpenedSession & { session: ort.InferenceSession }> {
  let { providers, dropped: fallbacks } = checkProviders(opts.providers);
  for (;;) {
    try {
      const session = await ort.InferenceSession.create(modelPath, { ...toOrtOptions(opts), executionProviders: providers });
      return { session, providers, fallbacks };
    } catch (err) {
      const accelerator = providers.find((p) => p !== 'cpu');
      if (!accelerator) throw err;
      fallbacks.push(`${accelerator}: ${providerFailureReason(err)}`);
      providers = providers.filter((p) => p !== accelerator);
    }
  }
}

export { ort };
