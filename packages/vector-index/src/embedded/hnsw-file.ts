import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import usearch from 'usearch';
import type { HnswSettings } from '../vector-index.ts';

/**
 * One usearch HNSW graph per collection, persisted as `<dir>/<collection>.usearch` plus a JSON sidecar saying
 * which SQLite watermarks the file covers. The file is a cache: anything missing, unreadable or built with other
 * settings is rebuilt from SQLite, and anything older than SQLite is caught up by replay.
 */
export type HnswScalar = 'f32' | 'f16' | 'i8';

export interface HnswSidecar {
  format: 1;
  dimension: number;
  scalar: HnswScalar;
  m: number;
  efConstruct: number;
  /** Highest faces.seq that the saved graph reflects. */
  faceSeq: number;
  /** Highest tombstones.seq that the saved graph reflects. */
  tombstoneSeq: number;
  size: number;
  /** Labels still in the graph whose rows were deleted (soft deletes; see EmbeddedVectorIndex). */
  dead: number[];
  /** File length at save time: usearch trusts its header, and a truncated or foreign file can make load hang. */
  bytes: number;
}

export interface HnswMatch {
  seq: number;
  distance: number;
}

export class HnswGraph {
  readonly index: InstanceType<typeof usearch.Index>;
  readonly dimension: number;
  readonly settings: HnswSettings;
  readonly scalar: HnswScalar;
  private singleThreadCapacity = -1;

  constructor(dimension: number, settings: HnswSettings, scalar: HnswScalar) {
    this.dimension = dimension;
    this.settings = settings;
    this.scalar = scalar;
    this.index = new usearch.Index({
      dimensions: dimension,
      // Every vector reaching the graph is unit length (normalizedCopy), so inner product ranks exactly as cosine does.
      // usearch's f32 cosine kernel widens to f64 and runs three FMA chains plus a sqrt and a divide per distance; inner
      // product runs one chain, which made single-threaded inserts of face-like 128-d data about 25% faster (M=32,
      // ef_construct=128, 30k faces: 2,500 -> 3,100 faces/s). i8 keeps cosine: usearch quantises per metric and the i8
      // path was measured with cosine. A snapshot keeps the metric it was built with (usearch reads it from the file
      // header), so older cosine snapshots still load and stay correct; only newly built graphs use inner product.
      metric: scalar === 'i8' ? usearch.MetricKind.Cos : usearch.MetricKind.IP,
      quantization: scalar === 'i8' ? usearch.ScalarKind.I8 : scalar === 'f16' ? usearch.ScalarKind.F16 : usearch.ScalarKind.F32,
      connectivity: settings.m,
      expansion_add: settings.efConstruct,
      expansion_search: settings.efSearch,
      multi: false,
    });
  }

  get size(): number {
    return this.index.size();
  }

  /**
   * Parallel inserts pay off on big batches, but concurrent inserts into a young graph left measurably worse
   * links (a 1k-face graph built on 2 threads missed a probe's 3 true neighbours at cos 0.7 that a rebuild found),
   * so the first part of every graph is built on one thread.
   */
  add(seqs: number[], vectors: Float32Array[]): void {
    if (seqs.length === 0) return;
    const keys = new BigUint64Array(seqs.length);
    const flat = new Float32Array(seqs.length * this.dimension);
    for (let i = 0; i < seqs.length; i++) {
      keys[i] = BigInt(seqs[i]!);
      flat.set(vectors[i]!, i * this.dimension);
    }
    const size = this.index.size();
    // An add that makes usearch grow also sizes its per-thread scratch space for that call's thread count.
    const grows = size + seqs.length >= this.index.capacity();
    const threads = size < 20_000 || (!grows && this.index.capacity() === this.singleThreadCapacity) ? 1 : 0;
    try {
      this.index.add(keys, flat, threads);
    } catch (err) {
      // usearch sizes its per-thread scratch space when it grows; a graph that last grew on one thread refuses a
      // parallel add (after inserting the first thread's share). Finish on one thread until it grows again.
      if (threads === 1 || !/reserve/i.test(String(err))) throw err;
      this.singleThreadCapacity = this.index.capacity();
      const missing = seqs.flatMap((s, i) => (this.index.contains(BigInt(s)) ? [] : [i]));
      const mk = new BigUint64Array(missing.length);
      const mf = new Float32Array(missing.length * this.dimension);
      missing.forEach((i, j) => {
        mk[j] = keys[i]!;
        mf.set(vectors[i]!, j * this.dimension);
      });
      if (missing.length > 0) this.index.add(mk, mf, 1);
    }
  }

  /** Adds only labels not already present; replay after a crash between file and sidecar writes can overlap. */
  addMissing(seqs: number[], vectors: Float32Array[]): void {
    const keep: number[] = [];
    const keepVectors: Float32Array[] = [];
    for (let i = 0; i < seqs.length; i++) {
      if (!this.index.contains(BigInt(seqs[i]!))) {
        keep.push(seqs[i]!);
        keepVectors.push(vectors[i]!);
      }
    }
    this.add(keep, keepVectors);
  }

  /** The labels among these that are in the graph. */
  present(seqs: number[]): number[] {
    return seqs.filter((s) => this.index.contains(BigInt(s)));
  }

  remove(seqs: number[]): void {
    for (const s of seqs) this.index.remove(BigInt(s));
  }

  /** One query on one thread: spawning a pool per single query costs more than it saves. */
  search(query: Float32Array, k: number): HnswMatch[] {
    if (this.index.size() === 0) return [];
    const m = this.index.search(query, k, 1);
    const out: HnswMatch[] = [];
    for (let i = 0; i < m.keys.length; i++) out.push({ seq: Number(m.keys[i]!), distance: m.distances[i]! });
    return out;
  }

  /**
   * Writes file then sidecar, each via rename, so a crash leaves either the old pair or a new file with an
   * older sidecar; the latter only makes the next open replay a little more than needed (replay is idempotent).
   */
  save(file: string, watermarks: { faceSeq: number; tombstoneSeq: number }, dead: number[]): void {
    this.index.save(`${file}.tmp`);
    renameSync(`${file}.tmp`, file);
    const sidecar: HnswSidecar = {
      format: 1,
      dimension: this.dimension,
      scalar: this.scalar,
      m: this.settings.m,
      efConstruct: this.settings.efConstruct,
      faceSeq: watermarks.faceSeq,
      tombstoneSeq: watermarks.tombstoneSeq,
      size: this.index.size(),
      dead,
      bytes: statSync(file).size,
    };
    writeFileSync(`${file}.json.tmp`, JSON.stringify(sidecar));
    renameSync(`${file}.json.tmp`, `${file}.json`);
  }

  /** Null when there is no usable snapshot (missing, corrupt, or built for other settings): rebuild instead. */
  static load(file: string, dimension: number, settings: HnswSettings, scalar: HnswScalar): { graph: HnswGraph; sidecar: HnswSidecar } | null {
    if (!existsSync(file) || !existsSync(`${file}.json`)) return null;
    let sidecar: HnswSidecar;
    try {
      sidecar = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as HnswSidecar;
    } catch {
      return null;
    }
    if (
      sidecar.format !== 1 ||
      !Array.isArray(sidecar.dead) ||
      sidecar.dimension !== dimension ||
      sidecar.scalar !== scalar ||
      sidecar.m !== settings.m ||
      sidecar.efConstruct !== settings.efConstruct ||
      statSync(file).size !== sidecar.bytes
    ) {
      return null;
    }
    const graph = new HnswGraph(dimension, settings, scalar);
    try {
      graph.index.load(file);
    } catch {
      return null;
    }
    if (graph.index.dimensions() !== dimension || graph.index.size() !== sidecar.size) return null;
    return { graph, sidecar };
  }

  static remove(file: string): void {
    for (const f of [file, `${file}.json`, `${file}.tmp`, `${file}.json.tmp`]) rmSync(f, { force: true });
  }
}
