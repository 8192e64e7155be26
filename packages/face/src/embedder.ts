import type { EmbedderEntry } from '@facerec/models';
import { l2Normalize } from './cosine.ts';
import { openSession, ort, type ModelSession, type OpenedSession, type SessionOpener } from './ort-session.ts';
import type { SessionOptions } from './options.ts';
import { SpareTensors } from './spare-tensors.ts';
import type { RgbImage } from './types.ts';

/** One caller's share of a micro-batch. */
export interface EmbedRequest {
  crops: readonly RgbImage[];
  flipTta?: boolean | undefined;
}

export interface EmbedOptions {
  /** Also embed the mirrored crop and average: a little accuracy for twice the embedder time. */
  flipTta?: boolean;
}

/**
 * Turns aligned 112x112 crops into L2-normalised embeddings. Takes any number of crops so a caller can
 * micro-batch across requests: dynamic-batch models get one run, fixed-batch models a run per chunk.
 */
export class Embedder {
  readonly entry: EmbedderEntry;
  private readonly session: ModelSession;
  private readonly outputName: string;
  private readonly side: number;
  private readonly spare = new SpareTensors();
  /** Execution providers the session really runs on ('cpu' last). */
  readonly providers: string[];
  /** Requested providers that could not start here, with ORT's reason. */
  readonly fallbacks: string[];

  private constructor(entry: EmbedderEntry, opened: OpenedSession) {
    this.entry = entry;
    const { session } = opened;
    this.session = session;
    this.providers = opened.providers;
    this.fallbacks = opened.fallbacks;
    const name = session.outputNames[0];
    if (!name) throw new Error(`Embedder ${entry.id} has no outputs`);
    this.outputName = name;
    this.side = Array.isArray(entry.input.size) ? entry.input.size[0] : 112;
  }

  static async create(entry: EmbedderEntry, modelPath: string, opts: SessionOptions, open: SessionOpener = openSession): Promise<Embedder> {
    return new Embedder(entry, await open(modelPath, opts));
  }

  get dimension(): number {
    return this.entry.output_dim;
  }

  /** Largest number of crops one run accepts. */
  get maxBatch(): number {
    return this.entry.batch === 'dynamic' ? Infinity : this.entry.batch;
  }

  /** NCHW float32 in the model's colour order and normalisation; `mirror` flips each crop left-right. */
  toTensor(crops: readonly RgbImage[], mirror = false): Float32Array {
    const out = new Float32Array(crops.length * 3 * this.side * this.side);
    this.layOut(out, 0, crops, mirror);
    return out;
  }

  /** toTensor's layout written into `out` from row `row` on, so a micro-batch is built without copies. */
  private layOut(out: Float32Array, row: number, crops: readonly RgbImage[], mirror: boolean): void {
    const s = this.side;
    const plane = s * s;
    const { mean, std, color } = this.entry.input;
    // Index of the source RGB channel feeding tensor channel 0/1/2.
    const order = color === 'RGB' ? [0, 1, 2] : [2, 1, 0];
    for (let n = 0; n < crops.length; n++) {
      const crop = crops[n]!;
      if (crop.width !== s || crop.height !== s) throw new RangeError(`Embedder expects ${s}x${s} crops`);
      const base = (row + n) * 3 * plane;
      for (let c = 0; c < 3; c++) {
        const srcC = order[c]!;
        const m = mean[c]!;
        const inv = 1 / std[c]!;
        const dst = base + c * plane;
        for (let y = 0; y < s; y++) {
          const r = y * s;
          for (let x = 0; x < s; x++) {
            const sx = mirror ? s - 1 - x : x;
            out[dst + r + x] = (crop.data[(r + sx) * 3 + srcC]! - m) * inv;
          }
        }
      }
    }
  }

  /** Raw (un-normalised) outputs for `count` crops already laid out by toTensor; one vector per crop. */
  async run(data: Float32Array, count: number): Promise<Float32Array[]> {
    const s = this.side;
    const per = 3 * s * s;
    const chunk = Math.min(count, this.maxBatch);
    const out: Float32Array[] = [];
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start);
      const input = new ort.Tensor('float32', data.subarray(start * per, (start + n) * per), [n, 3, s, s]);
      const result = await this.session.run({ [this.entry.input.name]: input });
      const t = result[this.outputName];
      if (!t) throw new Error(`Embedder ${this.entry.id}: output ${this.outputName} missing`);
      const flat = t.data as Float32Array;
      const dim = flat.length / n;
      for (let i = 0; i < n; i++) out.push(flat.slice(i * dim, (i + 1) * dim));
    }
    return out;
  }

  async embed(crops: readonly RgbImage[], opts: EmbedOptions = {}): Promise<Float32Array[]> {
    if (crops.length === 0) return [];
    return (await this.embedMany([{ crops, flipTta: opts.flipTta }]))[0]!;
  }

  /**
   * Several callers' crops in one tensor, so a dynamic-batch model does a single run for all of them (and
   * for their mirrors); each caller gets its own L2-normalised vectors back, in order.
   */
  async embedMany(requests: readonly EmbedRequest[]): Promise<Float32Array[][]> {
    let rows = 0;
    for (const r of requests) rows += r.crops.length * (r.flipTta ? 2 : 1);
    if (rows === 0) return requests.map(() => []);
    // layOut writes every row, so a spare tensor's stale values never reach the model.
    const data = this.spare.take(rows * 3 * this.side * this.side);
    const starts: number[] = [];
    let row = 0;
    for (const r of requests) {
      starts.push(row);
      this.layOut(data, row, r.crops, false);
      row += r.crops.length;
      if (r.flipTta) {
        this.layOut(data, row, r.crops, true);
        row += r.crops.length;
      }
    }
    let all: Float32Array[];
    try {
      all = await this.run(data, rows);
    } finally {
      // run() copies its outputs out, so the input tensor is free again once it settles.
      this.spare.give(data);
    }
    return requests.map((r, k) => {
      const n = r.crops.length;
      const at = starts[k]!;
      const out: Float32Array[] = [];
      for (let i = 0; i < n; i++) {
        const v = l2Normalize(all[at + i]!);
        if (r.flipTta) {
          // Each view is normalised first so neither dominates the sum.
          const f = l2Normalize(all[at + n + i]!);
          for (let d = 0; d < v.length; d++) v[d]! += f[d]!;
          out.push(l2Normalize(v));
        } else out.push(v);
      }
      return out;
    });
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
