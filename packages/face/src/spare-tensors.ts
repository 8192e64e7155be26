/**
 * Input tensors kept for reuse once a model run is done with them. A detector tensor is up to ~5 MB and an embedder
 * micro-batch 300 KB per face with flip TTA; allocating (zeroing) and collecting one per run costs time on the thread
 * that also runs ORT. A taken tensor holds stale values: the caller writes every element it passes on.
 *
 * They live in shared memory, so an inference thread (thread/inference-thread.ts) reads them where they are instead
 * of being sent a copy: the caller already leaves a tensor alone until its run settles, which is all sharing needs.
 */
export class SpareTensors {
  private readonly kept: Float32Array[] = [];
  private readonly max: number;

  /** `max`: tensors kept at most, enough for the runs a pipeline thread has in flight. */
  constructor(max = 4) {
    this.max = max;
  }

  /** `length` floats: a view on a kept tensor large enough, or a new one. */
  take(length: number): Float32Array {
    const i = this.kept.findIndex((t) => t.length >= length);
    if (i < 0) return new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));
    return this.kept.splice(i, 1)[0]!.subarray(0, length);
  }

  /** Keeps the whole buffer under `t` (which came from take) for a later take; the caller must not use it again. */
  give(t: Float32Array): void {
    if (this.kept.length < this.max) this.kept.push(new Float32Array(t.buffer));
  }
}
