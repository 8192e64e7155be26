import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError } from '@facerec/errors';
import {
  checkCollectionName,
  checkDimension,
  checkSearchOptions,
  collectionNotFound,
  dot,
  normalizedCopy,
  prepareRecords,
} from '../vector-checks.ts';
import type { CollectionInfo, HnswSettings, SearchHit, SearchOptions, VectorIndex, VectorRecord } from '../vector-index.ts';
import { FaceStore, type StoredFace } from './face-store.ts';
import { HnswGraph, type HnswScalar } from './hnsw-file.ts';

/** Faces deleted per transaction when a collection is dropped: milliseconds each, with the event loop free between. */
const DROP_CHUNK = 5_000;

export interface EmbeddedIndexOptions {
  dataDir: string;
  hnsw: HnswSettings;
  scalar: HnswScalar;
  /** Re-rank candidates with the exact stored float vectors (only matters for i8 and f16). */
  rescore: boolean;
  /** Save a collection's graph after this many changes since its last save. */
  saveEveryChanges: number;
  /** Also save dirty graphs on this timer; 0 disables it. */
  saveIntervalMs: number;
}

interface OpenCollection {
  name: string;
  dimension: number;
  graph: HnswGraph;
  changesSinceSave: number;
  /** Deleted labels still in the graph; search skips them because their SQLite rows are gone. */
  dead: number[];
}

export interface OpenReport {
  collection: string;
  source: 'snapshot' | 'rebuilt';
  replayedAdds: number;
  replayedRemoves: number;
  ms: number;
}

export class EmbeddedVectorIndex implements VectorIndex {
  readonly kind = 'embedded' as const;
  private readonly store: FaceStore;
  private readonly collections = new Map<string, OpenCollection>();
  private readonly indexDir: string;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** What the last open did per collection, for cold-start diagnostics and tests. */
  readonly openReport: OpenReport[] = [];

  private readonly opts: EmbeddedIndexOptions;

  constructor(opts: EmbeddedIndexOptions) {
    this.opts = opts;
    mkdirSync(opts.dataDir, { recursive: true });
    this.indexDir = join(opts.dataDir, 'index');
    mkdirSync(this.indexDir, { recursive: true });
    this.store = new FaceStore(join(opts.dataDir, 'faces.db'));
    // Load every graph up front: paying the cold start at boot beats paying it on a user's first query.
    for (const row of this.store.listCollections()) this.collections.set(row.name, this.openGraph(row.name, row.dimension));
    if (opts.saveIntervalMs > 0) {
      this.timer = setInterval(() => this.saveDirty(1), opts.saveIntervalMs);
      this.timer.unref();
    }
  }

  private graphFile(name: string): string {
    return join(this.indexDir, `${name}.usearch`);
  }

  private openGraph(name: string, dimension: number): OpenCollection {
    const t0 = performance.now();
    const file = this.graphFile(name);
    const loaded = HnswGraph.load(file, dimension, this.opts.hnsw, this.opts.scalar);
    const expected = this.store.getCollection(name)?.count ?? 0;
    if (loaded) {
      const { graph, sidecar } = loaded;
      const tombs = this.store.tombstonesAfter(name, sidecar.tombstoneSeq);
      const dead = [...sidecar.dead, ...graph.present(tombs.map((t) => t.face_seq))];
      let adds = 0;
      for (const page of this.store.scanVectors(name, sidecar.faceSeq)) {
        graph.addMissing(page.seqs, page.vectors);
        adds += page.seqs.length;
      }
      // Replay must land exactly on the SQLite count; anything else means the snapshot lied, so distrust it.
      if (graph.size === expected + dead.length) {
        const changes = adds + tombs.length;
        this.openReport.push({ collection: name, source: 'snapshot', replayedAdds: adds, replayedRemoves: tombs.length, ms: performance.now() - t0 });
        return { name, dimension, graph, changesSinceSave: changes, dead };
      }
    }
    const graph = new HnswGraph(dimension, this.opts.hnsw, this.opts.scalar);
    let adds = 0;
    for (const page of this.store.scanVectors(name, 0)) {
      graph.add(page.seqs, page.vectors);
      adds += page.seqs.length;
    }
    const col = { name, dimension, graph, changesSinceSave: 0, dead: [] as number[] };
    this.saveGraph(col);
    this.openReport.push({ collection: name, source: 'rebuilt', replayedAdds: adds, replayedRemoves: 0, ms: performance.now() - t0 });
    return col;
  }

  private saveGraph(col: OpenCollection): void {
    // Watermarks are read before saving; every committed write is already in the graph (both happen in one
    // synchronous call), so the snapshot covers at least what the watermarks claim.
    const marks = this.store.watermarks();
    col.graph.save(this.graphFile(col.name), marks, col.dead);
    this.store.pruneTombstones(col.name, marks.tombstoneSeq);
    col.changesSinceSave = 0;
  }

  /** Saves graphs with at least `threshold` unsaved changes. Synchronous: usearch writes the file in one call. */
  saveDirty(threshold = 1): void {
    for (const col of this.collections.values()) if (col.changesSinceSave >= threshold) this.saveGraph(col);
  }

  private require(name: string): OpenCollection {
    if (this.closed) throw new Error('Vector index is closed');
    checkCollectionName(name);
    const col = this.collections.get(name);
    if (!col) throw collectionNotFound(name);
    return col;
  }

  /**
   * Deletes are soft: usearch's hard remove measurably hurt recall (50 removals in a 1k graph cost 2/300 top-1
   * hits), while a dead node still routes searches and is simply dropped when its row is not found. Past this
   * many dead nodes the over-fetch gets wasteful, so they are hard-removed in one go.
   */
  private maxDead(live: number): number {
    return Math.max(1000, Math.floor(live * 0.05));
  }

  private markDead(col: OpenCollection, seqs: number[]): void {
    col.dead.push(...seqs);
    if (col.dead.length > this.maxDead(col.graph.size - col.dead.length)) {
      col.graph.remove(col.dead);
      col.dead = [];
    }
  }

  private noteChanges(col: OpenCollection, n: number): void {
    col.changesSinceSave += n;
    if (col.changesSinceSave >= this.opts.saveEveryChanges) this.saveGraph(col);
  }

  async createCollection(name: string, spec: { dimension: number }): Promise<void> {
    checkCollectionName(name);
    checkDimension(spec.dimension);
    const existing = this.store.getCollection(name);
    if (existing) {
      if (existing.dimension !== spec.dimension) {
        throw new ConflictError(`Collection '${name}' exists with dimension ${existing.dimension}, not ${spec.dimension}`, 'collection_conflict', {
          dimension: existing.dimension,
        });
      }
      return;
    }
    this.store.createCollection(name, spec.dimension);
    HnswGraph.remove(this.graphFile(name));
    this.collections.set(name, { name, dimension: spec.dimension, graph: new HnswGraph(spec.dimension, this.opts.hnsw, this.opts.scalar), changesSinceSave: 1, dead: [] });
  }

  async dropCollection(name: string): Promise<boolean> {
    checkCollectionName(name);
    // Gone for searches and writes at once; the rows then go in chunks. A crash part-way leaves the
    // collection with fewer faces, and the retried drop (the collection service's DELETE) finishes it.
    this.collections.delete(name);
    let step: 'more' | 'dropped' | 'absent';
    while ((step = this.store.dropCollectionChunk(name, DROP_CHUNK)) === 'more') await new Promise((resolve) => setImmediate(resolve));
    HnswGraph.remove(this.graphFile(name));
    return step === 'dropped';
  }

  async describeCollection(name: string): Promise<CollectionInfo | null> {
    checkCollectionName(name);
    const row = this.store.getCollection(name);
    return row ? { name: row.name, dimension: row.dimension, count: row.count } : null;
  }

  async upsert(collection: string, records: VectorRecord[]): Promise<void> {
    const col = this.require(collection);
    const prepared = prepareRecords(records, col.dimension);
    if (prepared.length === 0) return;
    // Commit first, then touch the graph: if we die in between, the next open replays from SQLite.
    const { added, removedSeqs } = this.store.upsert(collection, prepared);
    this.markDead(col, removedSeqs);
    col.graph.add(
      added.map((a) => a.seq),
      added.map((a) => a.vector),
    );
    this.noteChanges(col, added.length + removedSeqs.length);
  }

  async get(collection: string, ids: string[]): Promise<VectorRecord[]> {
    this.require(collection);
    if (ids.length === 0) return [];
    const byId = new Map(this.store.getByIds(collection, ids).map((f) => [f.faceId, f]));
    const out: VectorRecord[] = [];
    for (const id of ids) {
      const f = byId.get(id);
      if (f) out.push({ id: f.faceId, vector: f.vector, payload: f.payload });
    }
    return out;
  }

  async delete(collection: string, ids: string[]): Promise<number> {
    const col = this.require(collection);
    if (ids.length === 0) return 0;
    const removed = this.store.deleteByIds(collection, ids);
    this.markDead(col, removed);
    this.noteChanges(col, removed.length);
    return removed.length;
  }

  async deleteBySubject(collection: string, subjectId: string): Promise<number> {
    const col = this.require(collection);
    const removed = this.store.deleteBySubject(collection, subjectId);
    this.markDead(col, removed);
    this.noteChanges(col, removed.length);
    return removed.length;
  }

  async search(collection: string, vector: Float32Array, opts: SearchOptions): Promise<SearchHit[]> {
    const col = this.require(collection);
    checkSearchOptions(opts);
    const q = normalizedCopy(vector, col.dimension);
    if (opts.subjectId !== undefined) {
      // A subject has a handful of faces: scoring them all exactly beats a filtered graph walk.
      const hits = this.store.getBySubject(collection, opts.subjectId).map((f) => toHit(f, q));
      hits.sort(byScore);
      return hits.slice(0, opts.bestPerSubject ? 1 : opts.topK);
    }
    const size = col.graph.size;
    const live = size - col.dead.length;
    if (live <= 0) return [];
    if (opts.topK >= live) {
      // Asking for (nearly) everything: a graph walk is not guaranteed to reach every node, a scan is.
      const all = this.store.getAll(collection).map((f) => toHit(f, q));
      all.sort(byScore);
      return opts.bestPerSubject ? firstPerSubject(all, opts.topK) : all.slice(0, opts.topK);
    }
    // The graph's f32 kernel and our exact dot product round differently, so near-ties at the cut-off could be
    // decided either way; fetching a margin and cutting on the exact score makes results reproducible across
    // rebuilds. i8 distances are coarser still, hence a wider margin when rescoring them.
    const overfetch = this.opts.scalar !== 'f32' && this.opts.rescore ? 3 : 2;
    if (!opts.bestPerSubject) {
      // Dead nodes can take result slots; widen until enough live rows come back or the graph is exhausted.
      let k = Math.min(size, opts.topK * overfetch + Math.min(col.dead.length, opts.topK * 4));
      for (;;) {
        const hits = this.candidates(col, q, k);
        if (hits.length >= opts.topK || k >= size) return hits.slice(0, opts.topK);
        k = Math.min(size, k * 4);
      }
    }

    // Grouping needs distinct subjects, and one subject can own many near-duplicate faces: widen until enough.
    let k = Math.min(size, opts.topK * 4 * overfetch);
    for (;;) {
      const best = new Map<string, SearchHit>();
      for (const h of this.candidates(col, q, k)) if (!best.has(h.payload.subject_id)) best.set(h.payload.subject_id, h);
      if (best.size >= opts.topK || k >= size) return [...best.values()].slice(0, opts.topK);
      k = Math.min(size, k * 4);
    }
  }

  /** Graph candidates re-scored with the stored vectors, best first. */
  private candidates(col: OpenCollection, q: Float32Array, k: number): SearchHit[] {
    const matches = col.graph.search(q, k);
    if (matches.length === 0) return [];
    const hits = this.store.getBySeqs(matches.map((m) => m.seq)).map((f) => toHit(f, q));
    hits.sort(byScore);
    return hits;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    this.saveDirty(1);
    this.closed = true;
    this.collections.clear();
    this.store.close();
  }
}

function toHit(f: StoredFace, q: Float32Array): SearchHit {
  return { id: f.faceId, score: dot(f.vector, q), payload: f.payload };
}

function firstPerSubject(sorted: SearchHit[], k: number): SearchHit[] {
  const best = new Map<string, SearchHit>();
  for (const h of sorted) if (!best.has(h.payload.subject_id)) best.set(h.payload.subject_id, h);
  return [...best.values()].slice(0, k);
}

function byScore(a: SearchHit, b: SearchHit): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
