import { Worker } from 'node:worker_threads';
import { deserializeError, InternalError, ServiceUnavailableError } from '@facerec/errors';
import { findModel } from '@facerec/models';
import type { AnalyzeOptions, CreatePipelineArgs, EmbedCropsOptions, FacePipeline, ImageAnalysis, PipelineStats } from '../face-pipeline.ts';
import type { RgbImage } from '../types.ts';
import type { EmbedReply, ThreadReply, ThreadRequest } from './thread-protocol.ts';

interface Pending {
  resolve: (a: never) => void;
  reject: (e: Error) => void;
}

/**
 * The thread's entry module. From source it sits beside this file as pipeline-worker.ts; `npm run build`
 * bundles this file into dist/<app>.js and the entry into dist/pipeline-worker.js beside it, so the
 * sibling to load has this module's own extension.
 */
const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './pipeline-worker.ts' : './pipeline-worker.js', import.meta.url);

/** What a thread that has stopped contributes: its counters went with it. */
const EMPTY_STATS: PipelineStats = { embed: { runs: 0, faces: 0, largestBatch: 0 }, detect: { runs: 0, images: 0, largestBatch: 0 } };

class PipelineThread {
  readonly worker: Worker;
  readonly pending = new Map<number, Pending>();
  readonly statsWaiting = new Map<number, (s: PipelineStats) => void>();
  exited = false;
  providers: string[] = [];
  providerFallbacks: string[] = [];
  private nextId = 0;

  constructor(args: CreatePipelineArgs) {
    this.worker = new Worker(WORKER_ENTRY, { workerData: args });
  }

  async started(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onMessage = (msg: ThreadReply) => {
        if (msg.type === 'ready') {
          this.providers = msg.providers;
          this.providerFallbacks = msg.providerFallbacks;
          resolve();
        } else if (msg.type === 'stats') {
          this.statsWaiting.get(msg.id)?.(msg.stats);
          this.statsWaiting.delete(msg.id);
        }
        else if (msg.type === 'load-failed') reject(deserializeError(msg.error));
        else this.settle(msg);
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => {
        this.exited = true;
        reject(new Error(`pipeline thread exited with code ${code} while loading`));
        // A thread that dies takes its in-flight requests with it; fail them rather than hang callers.
        for (const p of this.pending.values()) p.reject(new ServiceUnavailableError('The face pipeline thread stopped', 'pipeline_stopped'));
        this.pending.clear();
        for (const done of this.statsWaiting.values()) done(EMPTY_STATS);
        this.statsWaiting.clear();
      });
    });
  }

  private settle(msg: ThreadReply) {
    if (msg.type !== 'result' && msg.type !== 'embedded' && msg.type !== 'error') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.analysis as never);
    else if (msg.type === 'embedded') p.resolve(msg.result as never);
    else p.reject(deserializeError(msg.error));
  }

  private request<T>(send: (id: number) => void): Promise<T> {
    if (this.exited) return Promise.reject(new ServiceUnavailableError('The face pipeline thread stopped', 'pipeline_stopped'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (a: never) => void, reject });
      send(id);
    });
  }

  analyze(image: Uint8Array, opts: AnalyzeOptions): Promise<ImageAnalysis> {
    return this.request((id) => {
      // Copy so the caller's buffer (often a view into a larger one) stays usable; then transfer the copy.
      const copy = new Uint8Array(image);
      this.worker.postMessage({ type: 'analyze', id, image: copy, opts } satisfies ThreadRequest, [copy.buffer]);
    });
  }

  embed(crops: readonly RgbImage[], opts: EmbedCropsOptions): Promise<EmbedReply> {
    return this.request((id) => {
      const copies = crops.map((c) => ({ data: new Uint8Array(c.data), width: c.width, height: c.height }));
      this.worker.postMessage({ type: 'embed', id, crops: copies, opts } satisfies ThreadRequest, copies.map((c) => c.data.buffer));
    });
  }

  /** Not counted in `pending`, so asking for stats never steers requests away from a thread. */
  stats(): Promise<PipelineStats> {
    if (this.exited) return Promise.resolve(EMPTY_STATS);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.statsWaiting.set(id, resolve);
      this.worker.postMessage({ type: 'stats', id } satisfies ThreadRequest);
    });
  }
}

/**
 * The pipeline behind the same FacePipeline interface, run on `threads` worker threads (requests go to the
 * least busy). Use it wherever the caller also serves I/O; benchmarks of the raw stages use
 * createFacePipeline directly.
 */
export async function createThreadedFacePipeline(args: CreatePipelineArgs & { pipelineThreads?: number }): Promise<FacePipeline> {
  const { pipelineThreads = 1, ...pipelineArgs } = args;
  const detector = findModel(args.manifest, args.detector, 'detect');
  const embedder = findModel(args.manifest, args.embedder, 'embed');
  const threads = Array.from({ length: Math.max(1, pipelineThreads) }, () => new PipelineThread(pipelineArgs));
  try {
    await Promise.all(threads.map((t) => t.started()));
  } catch (err) {
    await Promise.all(threads.map((t) => t.worker.terminate()));
    throw err;
  }
  let closed = false;
  const idlest = async (): Promise<PipelineThread> => {
    if (closed) throw new InternalError('The face pipeline is closed');
    // A thread that crashed (a native fault, say) is replaced rather than left to fail every request.
    for (let i = 0; i < threads.length; i++) {
      if (threads[i]!.exited) {
        const fresh = new PipelineThread(pipelineArgs);
        threads[i] = fresh;
        await fresh.started();
      }
    }
    return threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  };
  return {
    detector,
    embedder,
    dimension: embedder.output_dim,
    // Every thread resolves the same providers on the same machine.
    providers: threads[0]!.providers,
    providerFallbacks: threads[0]!.providerFallbacks,
    async analyze(image, opts = {}) {
      return (await idlest()).analyze(image, opts);
    },
    async embedCrops(crops, opts = {}) {
      return (await idlest()).embed(crops, opts);
    },
    async stats() {
      const all = await Promise.all(threads.map((t) => t.stats()));
      return {
        embed: {
          runs: all.reduce((n, s) => n + s.embed.runs, 0),
          faces: all.reduce((n, s) => n + s.embed.faces, 0),
          largestBatch: Math.max(...all.map((s) => s.embed.largestBatch)),
        },
        detect: {
          runs: all.reduce((n, s) => n + s.detect.runs, 0),
          images: all.reduce((n, s) => n + s.detect.images, 0),
          largestBatch: Math.max(...all.map((s) => s.detect.largestBatch)),
        },
      };
    },
    async close() {
      closed = true;
      await Promise.all(threads.map((t) => t.worker.terminate()));
    },
  };
}
