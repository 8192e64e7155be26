import type { Embedder, EmbedRequest } from './embedder.ts';
import type { RgbImage } from './types.ts';

export interface EmbedBatchOptions {
  /** Faces (mirrors included) that trigger a run at once; 1 turns batching off. */
  maxBatch: number;
  /** Longest a face waits for others after the first one of a batch arrived. */
  maxWaitMs: number;
}

export interface EmbedBatchStats {
  /** Embedder calls made (each is one ORT run for a dynamic-batch model). */
  runs: number;
  /** Faces embedded, mirrors included. */
  faces: number;
  /** Largest number of analyze calls served by one run. */
  largestBatch: number;
}

interface Waiting {
  request: EmbedRequest;
  resolve: (v: Float32Array[]) => void;
  reject: (e: unknown) => void;
}

/**
 * Gathers the aligned faces of the analyze calls in flight on this thread into one embedder run. The
 * calls interleave at their await points (decoding is async), so while one waits here the others are
 * usually still decoding or detecting; a batch is run when it is full, when every call in flight is
 * already waiting (nobody else can join, so waiting would only add latency, which is also what keeps a
 * lone request at zero added wait), or `maxWaitMs` after its first face.
 */
export class EmbedBatcher {
  private readonly emb: Embedder;
  private readonly maxBatch: number;
  private readonly maxWaitMs: number;
  private readonly batching: boolean;
  private queue: Waiting[] = [];
  private queuedFaces = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private active = 0;
  private readonly counters: EmbedBatchStats = { runs: 0, faces: 0, largestBatch: 0 };

  constructor(emb: Embedder, opts: EmbedBatchOptions) {
    this.emb = emb;
    this.maxBatch = Math.max(1, Math.floor(opts.maxBatch));
    this.maxWaitMs = Math.max(0, opts.maxWaitMs);
    // A fixed-batch-1 export runs one face per ORT call whatever we gather, so waiting for company would
    // only add latency: such models embed each call's faces straight away.
    this.batching = this.maxBatch > 1 && emb.maxBatch > 1;
  }

  get enabled(): boolean {
    return this.batching;
  }

  stats(): EmbedBatchStats {
    return { ...this.counters };
  }

  /** An analyze call started: a batch may now wait for its faces. */
  enter(): void {
    this.active++;
  }

  /** An analyze call ended (with or without submitting): the calls still queued may be all that is left. */
  leave(): void {
    this.active--;
    this.maybeFlush();
  }

  async embed(crops: readonly RgbImage[], flipTta: boolean): Promise<Float32Array[]> {
    if (crops.length === 0) return [];
    const faces = crops.length * (flipTta ? 2 : 1);
    if (!this.batching) {
      this.count(faces, 1);
      return this.emb.embed(crops, { flipTta });
    }
    const done = new Promise<Float32Array[]>((resolve, reject) => this.queue.push({ request: { crops, flipTta }, resolve, reject }));
    this.queuedFaces += faces;
    if (this.queue.length === 1 && this.queuedFaces < this.maxBatch) this.timer = setTimeout(() => this.flush(), this.maxWaitMs);
    this.maybeFlush();
    return done;
  }

  private maybeFlush(): void {
    if (this.queue.length === 0) return;
    if (this.queuedFaces >= this.maxBatch || this.queue.length >= this.active) this.flush();
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    const faces = this.queuedFaces;
    this.queue = [];
    this.queuedFaces = 0;
    if (batch.length === 0) return;
    this.count(faces, batch.length);
    this.emb.embedMany(batch.map((w) => w.request)).then(
      (out) => batch.forEach((w, i) => w.resolve(out[i]!)),
      (err: unknown) => batch.forEach((w) => w.reject(err)),
    );
  }

  private count(faces: number, calls: number): void {
    this.counters.runs++;
    this.counters.faces += faces;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, calls);
  }
}
