import type { DetectorInput, DetectorRunner } from './yunet-detector.ts';
import type { YunetOutputs } from './yunet-decode.ts';

export interface DetectBatchOptions {
  /** Detector inputs of one shape that trigger a run at once. */
  maxBatch: number;
  /** Longest an input waits for others after the first one of a batch arrived. */
  maxWaitMs: number;
}

export interface DetectBatchStats {
  /** Detector runs made (each one ORT call over a batch of same-shape inputs). */
  runs: number;
  /** Detector passes served (first passes, retries and refinements). */
  images: number;
  /** Most inputs in one run. */
  largestBatch: number;
}

/** One ORT call over same-shape inputs, answering each input's outputs in order. */
export type DetectRunMany = (inputs: readonly DetectorInput[]) => Promise<YunetOutputs[]>;

/** How one analyze call reaches the detector while it is in its detection stage. */
export interface DetectCall extends DetectorRunner {
  /** The call will submit no more passes: a batch stops waiting for it. */
  done(): void;
}

interface Waiting {
  call: object;
  input: DetectorInput;
  resolve: (o: YunetOutputs) => void;
  reject: (e: unknown) => void;
}

/**
 * Gathers the detector passes of the analyze calls in flight on this thread into one run per input shape:
 * what a GPU needs, where each call has a fixed cost that a CPU run does not (on a CPU a batch runs no faster
 * than its inputs one by one). Inputs batch only when they share a shape, so callers letterbox their full-image
 * passes to one fixed canvas. A batch runs when a shape has `maxBatch` inputs, when every call still in its
 * detection stage is waiting here (nobody else can join: a lone request never waits), or `maxWaitMs` after its
 * first input. A call counts from `call()` until its `done()`, so calls already past detection (aligning,
 * embedding) never hold a batch back.
 */
export class DetectBatcher {
  private readonly runMany: DetectRunMany;
  private readonly maxBatch: number;
  private readonly maxWaitMs: number;
  private readonly queues = new Map<string, Waiting[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private active = 0;
  private readonly counters: DetectBatchStats = { runs: 0, images: 0, largestBatch: 0 };

  constructor(runMany: DetectRunMany, opts: DetectBatchOptions) {
    this.runMany = runMany;
    this.maxBatch = Math.max(1, Math.floor(opts.maxBatch));
    this.maxWaitMs = Math.max(0, opts.maxWaitMs);
  }

  stats(): DetectBatchStats {
    return { ...this.counters };
  }

  /** An analyze call enters its detection stage; call `done()` on the answer when it leaves it (also on failure). */
  call(): DetectCall {
    const token = {};
    let left = false;
    this.active++;
    return {
      run: (input) => this.submit(token, input),
      done: () => {
        if (left) return;
        left = true;
        this.active--;
        this.maybeFlush();
      },
    };
  }

  private submit(call: object, input: DetectorInput): Promise<YunetOutputs> {
    const key = `${input.width}x${input.height}`;
    const done = new Promise<YunetOutputs>((resolve, reject) => {
      const q = this.queues.get(key) ?? [];
      q.push({ call, input, resolve, reject });
      this.queues.set(key, q);
    });
    if (this.timer === undefined) this.timer = setTimeout(() => this.flushAll(), this.maxWaitMs);
    const q = this.queues.get(key)!;
    if (q.length >= this.maxBatch) this.flush(key);
    this.maybeFlush();
    return done;
  }

  /** Every call still detecting is waiting here: run what is queued. */
  private maybeFlush(): void {
    if (this.queues.size === 0) return;
    const waiting = new Set<object>();
    for (const q of this.queues.values()) for (const w of q) waiting.add(w.call);
    if (waiting.size >= this.active) this.flushAll();
  }

  private flushAll(): void {
    for (const key of [...this.queues.keys()]) this.flush(key);
  }

  private flush(key: string): void {
    const batch = this.queues.get(key);
    this.queues.delete(key);
    if (this.queues.size === 0 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!batch || batch.length === 0) return;
    this.counters.runs++;
    this.counters.images += batch.length;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
    this.runMany(batch.map((w) => w.input)).then(
      (out) => batch.forEach((w, i) => w.resolve(out[i]!)),
      (err: unknown) => batch.forEach((w) => w.reject(err)),
    );
  }
}
