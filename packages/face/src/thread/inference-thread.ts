import { Worker } from 'node:worker_threads';
import { deserializeError, ServiceUnavailableError } from '@facerec/errors';
import type { ort, ModelSession, OpenedSession, SessionOpener } from '../ort-session.ts';
import type { SessionOptions } from '../options.ts';
import type { InferenceReply, InferenceRequest } from './inference-protocol.ts';

/** Like the pipeline thread's entry (threaded-pipeline.ts): inference-worker.js beside the bundle once built. */
const INFERENCE_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './inference-worker.ts' : './inference-worker.js', import.meta.url);

type Ok = Extract<InferenceReply, { ok: true }>;
// Distributive: `id` is added to each request type rather than to their union's common part.
type Call = InferenceRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * A worker thread holding this pipeline's ORT sessions (see inference-worker.ts). `open` is a SessionOpener, so
 * the detector and embedder run their models there without knowing it. If the thread dies, every call fails and
 * `onExit` is told, so the owner can stop rather than serve from a pipeline without models.
 */
export class InferenceThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: Ok) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private exited = false;
  private closing = false;

  constructor(onExit: () => void = () => undefined) {
    this.worker = new Worker(INFERENCE_ENTRY);
    this.worker.on('message', (msg: InferenceReply) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg);
      else p.reject(deserializeError(msg.error));
    });
    this.worker.on('error', () => undefined);
    this.worker.once('exit', () => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new ServiceUnavailableError('The inference thread stopped', 'pipeline_stopped'));
      this.pending.clear();
      if (!this.closing) onExit();
    });
  }

  call(req: Call, transfer: ArrayBuffer[] = []): Promise<Ok> {
    if (this.exited) return Promise.reject(new ServiceUnavailableError('The inference thread stopped', 'pipeline_stopped'));
    const id = this.nextId++;
    return new Promise<Ok>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id } as InferenceRequest, transfer);
    });
  }

  readonly open: SessionOpener = async (modelPath: string, opts: SessionOptions): Promise<OpenedSession> => {
    const r = await this.call({ type: 'open', modelPath, opts });
    return { session: new RemoteSession(this, r.sid!, r.outputNames!), providers: r.providers!, fallbacks: r.fallbacks! };
  };

  async close(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }
}

class RemoteSession implements ModelSession {
  readonly outputNames: readonly string[];
  private readonly thread: InferenceThread;
  private readonly sid: number;

  constructor(thread: InferenceThread, sid: number, outputNames: string[]) {
    this.thread = thread;
    this.sid = sid;
    this.outputNames = outputNames;
  }

  async run(feeds: Record<string, ort.Tensor>): Promise<Record<string, { data: Float32Array }>> {
    const sent: Record<string, { data: Float32Array; dims: number[] }> = {};
    const transfer: ArrayBuffer[] = [];
    for (const [name, t] of Object.entries(feeds)) {
      const given = t.data as Float32Array;
      if (given.buffer instanceof SharedArrayBuffer) {
        // A spare tensor (spare-tensors.ts): the thread reads the caller's memory, which stays untouched until this
        // run settles. Copying it here took ~0.5 ms of this thread per photo (a detector tensor is megabytes), plus
        // the collection of every copy.
        sent[name] = { data: given, dims: [...t.dims] };
        continue;
      }
      // Anything else: a copy of just the tensor's bytes, moved rather than cloned, since the caller's array may be
      // a view on a larger buffer it keeps.
      const data = given.slice();
      sent[name] = { data, dims: [...t.dims] };
      transfer.push(data.buffer);
    }
    const r = await this.thread.call({ type: 'run', sid: this.sid, feeds: sent }, transfer);
    const out: Record<string, { data: Float32Array }> = {};
    for (const [name, data] of Object.entries(r.outputs!)) out[name] = { data };
    return out;
  }

  async release(): Promise<void> {
    await this.thread.call({ type: 'release', sid: this.sid }).catch(() => undefined);
  }
}
