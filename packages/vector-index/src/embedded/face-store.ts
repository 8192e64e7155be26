import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { immediateTransaction } from '@facerec/sqlite';
import type { FacePayload, VectorRecord } from '../vector-index.ts';

/**
 * The embedded adapter's source of truth. The HNSW file is only a cache of what is here and can always be
 * rebuilt from it, so every acknowledged write must be in this file first.
 *
 * node:sqlite is synchronous and blocks the event loop for each call; callers keep calls short by doing one
 * transaction per batch and paging large scans (rebuilds) in fixed-size chunks.
 *
 * `faces.seq` is both the ANN label and the write sequence number: AUTOINCREMENT never reuses a value, so a
 * replaced face gets a new, higher seq and an index snapshot can be caught up by replaying `seq > covered`.
 * Removals (delete and replace) leave a row in `tombstones`, whose own seq orders them for the same replay.
 */
export interface CollectionRow {
  name: string;
  dimension: number;
  count: number;
}

export interface StoredFace {
  seq: number;
  faceId: string;
  subjectId: string;
  payload: FacePayload;
  vector: Float32Array;
}

export interface WriteResult {
  added: { seq: number; vector: Float32Array }[];
  removedSeqs: number[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS collections (
  name TEXT PRIMARY KEY,
  dimension INTEGER NOT NULL,
  count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS faces (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  collection TEXT NOT NULL REFERENCES collections(name) ON DELETE CASCADE,
  face_id TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  vector BLOB NOT NULL,
  UNIQUE (collection, face_id)
);
CREATE INDEX IF NOT EXISTS faces_by_subject ON faces (collection, subject_id);
CREATE TABLE IF NOT EXISTS tombstones (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  collection TEXT NOT NULL,
  face_seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tombstones_by_collection ON tombstones (collection, seq);
`;

function toBlob(v: Float32Array): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

function fromBlob(b: Uint8Array): Float32Array {
  // SQLite hands back an arbitrary byte offset; copy so the Float32Array view is aligned.
  return new Float32Array(b.slice().buffer);
}

export class FaceStore {
  private readonly db: DatabaseSync;
  private readonly st: Record<string, StatementSync>;

  constructor(file: string) {
    this.db = new DatabaseSync(file);
    // WAL lets readers run beside the writer; FULL fsyncs the WAL on every commit, which is what makes a resolved
    // upsert survive power loss (NORMAL only survives a process crash). Batching amortises the fsync.
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    this.db.exec(SCHEMA);
    const p = (sql: string) => this.db.prepare(sql);
    this.st = {
      listCollections: p('SELECT name, dimension, count FROM collections ORDER BY name'),
      getCollection: p('SELECT name, dimension, count FROM collections WHERE name = ?'),
      insertCollection: p("INSERT INTO collections (name, dimension, created_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ'))"),
      deleteCollection: p('DELETE FROM collections WHERE name = ?'),
      deleteCollectionFacesChunk: p('DELETE FROM faces WHERE seq IN (SELECT seq FROM faces WHERE collection = ? LIMIT ?)'),
      deleteCollectionTombstones: p('DELETE FROM tombstones WHERE collection = ?'),
      addCount: p('UPDATE collections SET count = count + ? WHERE name = ?'),
      seqById: p('SELECT seq FROM faces WHERE collection = ? AND face_id = ?'),
      seqsBySubject: p('SELECT seq FROM faces WHERE collection = ? AND subject_id = ?'),
      deleteSeq: p('DELETE FROM faces WHERE seq = ?'),
      tombstone: p('INSERT INTO tombstones (collection, face_seq) VALUES (?, ?)'),
      insertFace: p('INSERT INTO faces (collection, face_id, subject_id, payload, vector) VALUES (?, ?, ?, ?, ?) RETURNING seq'),
      byIds: p(
        'SELECT seq, face_id, subject_id, payload, vector FROM faces WHERE collection = ? AND face_id IN (SELECT value FROM json_each(?))',
      ),
      bySeqs: p('SELECT seq, face_id, subject_id, payload, vector FROM faces WHERE seq IN (SELECT value FROM json_each(?))'),
      all: p('SELECT seq, face_id, subject_id, payload, vector FROM faces WHERE collection = ?'),
      bySubject: p('SELECT seq, face_id, subject_id, payload, vector FROM faces WHERE collection = ? AND subject_id = ?'),
      page: p('SELECT seq, vector FROM faces WHERE collection = ? AND seq > ? ORDER BY seq LIMIT ?'),
      tombstonesAfter: p('SELECT seq, face_seq FROM tombstones WHERE collection = ? AND seq > ? ORDER BY seq'),
      maxFaceSeq: p("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'faces'), 0) AS s"),
      maxTombstoneSeq: p("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'tombstones'), 0) AS s"),
      pruneTombstones: p('DELETE FROM tombstones WHERE collection = ? AND seq <= ?'),
    };
  }

  private tx<T>(fn: () => T): T {
    return immediateTransaction(this.db, fn);
  }

  listCollections(): CollectionRow[] {
    return this.st.listCollections!.all() as unknown as CollectionRow[];
  }

  getCollection(name: string): CollectionRow | undefined {
    return this.st.getCollection!.get(name) as unknown as CollectionRow | undefined;
  }

  createCollection(name: string, dimension: number): void {
    this.st.insertCollection!.run(name, dimension);
  }

  /**
   * One step of a collection drop: up to `limit` faces in one short transaction ('more'), or, once none are
   * left, the tombstones and the collection row ('dropped'). Callers loop with a turn of the event loop in
   * between, so a million-face drop never blocks for seconds.
   */
  dropCollectionChunk(name: string, limit: number): 'more' | 'dropped' | 'absent' {
    return this.tx(() => {
      if (!this.st.getCollection!.get(name)) return 'absent';
      if (Number(this.st.deleteCollectionFacesChunk!.run(name, limit).changes) > 0) return 'more';
      this.st.deleteCollectionTombstones!.run(name);
      this.st.deleteCollection!.run(name);
      return 'dropped';
    });
  }

  /** Replaces by face id inside one transaction; returns what the ANN index must now add and remove. */
  upsert(collection: string, records: VectorRecord[]): WriteResult {
    return this.tx(() => {
      const added: WriteResult['added'] = [];
      const removedSeqs: number[] = [];
      for (const r of records) {
        const old = this.st.seqById!.get(collection, r.id) as { seq: number } | undefined;
        if (old) {
          this.removeSeq(collection, old.seq);
          removedSeqs.push(old.seq);
        }
        const row = this.st.insertFace!.get(collection, r.id, r.payload.subject_id, JSON.stringify(r.payload), toBlob(r.vector)) as {
          seq: number;
        };
        added.push({ seq: row.seq, vector: r.vector });
      }
      this.st.addCount!.run(added.length - removedSeqs.length, collection);
      return { added, removedSeqs };
    });
  }

  deleteByIds(collection: string, ids: string[]): number[] {
    return this.tx(() => {
      const removed: number[] = [];
      for (const id of new Set(ids)) {
        const old = this.st.seqById!.get(collection, id) as { seq: number } | undefined;
        if (!old) continue;
        this.removeSeq(collection, old.seq);
        removed.push(old.seq);
      }
      this.st.addCount!.run(-removed.length, collection);
      return removed;
    });
  }

  deleteBySubject(collection: string, subjectId: string): number[] {
    return this.tx(() => {
      const rows = this.st.seqsBySubject!.all(collection, subjectId) as unknown as { seq: number }[];
      for (const { seq } of rows) this.removeSeq(collection, seq);
      this.st.addCount!.run(-rows.length, collection);
      return rows.map((r) => r.seq);
    });
  }

  private removeSeq(collection: string, seq: number): void {
    this.st.deleteSeq!.run(seq);
    this.st.tombstone!.run(collection, seq);
  }

  getByIds(collection: string, ids: string[]): StoredFace[] {
    return (this.st.byIds!.all(collection, JSON.stringify(ids)) as unknown as RawFace[]).map(decode);
  }

  getBySeqs(seqs: number[]): StoredFace[] {
    return (this.st.bySeqs!.all(JSON.stringify(seqs)) as unknown as RawFace[]).map(decode);
  }

  /** Whole collection; only used when the caller asks for at least as many hits as there are faces. */
  getAll(collection: string): StoredFace[] {
    return (this.st.all!.all(collection) as unknown as RawFace[]).map(decode);
  }

  getBySubject(collection: string, subjectId: string): StoredFace[] {
    return (this.st.bySubject!.all(collection, subjectId) as unknown as RawFace[]).map(decode);
  }

  /** Keyset-paged scan so a rebuild of millions of rows never holds the event loop for one giant query. */
  *scanVectors(collection: string, afterSeq: number, pageSize = 20_000): Generator<{ seqs: number[]; vectors: Float32Array[] }> {
    let cursor = afterSeq;
    for (;;) {
      const rows = this.st.page!.all(collection, cursor, pageSize) as unknown as { seq: number; vector: Uint8Array }[];
      if (rows.length === 0) return;
      yield { seqs: rows.map((r) => r.seq), vectors: rows.map((r) => fromBlob(r.vector)) };
      cursor = rows[rows.length - 1]!.seq;
      if (rows.length < pageSize) return;
    }
  }

  tombstonesAfter(collection: string, afterSeq: number): { seq: number; face_seq: number }[] {
    return this.st.tombstonesAfter!.all(collection, afterSeq) as unknown as { seq: number; face_seq: number }[];
  }

  /** Highest seq ever handed out (not the highest live one), so a covered snapshot stays covered after deletes. */
  watermarks(): { faceSeq: number; tombstoneSeq: number } {
    return {
      faceSeq: Number((this.st.maxFaceSeq!.get() as { s: number }).s),
      tombstoneSeq: Number((this.st.maxTombstoneSeq!.get() as { s: number }).s),
    };
  }

  /** Tombstones at or below a durable snapshot's watermark can never be needed for replay again. */
  pruneTombstones(collection: string, uptoSeq: number): void {
    this.st.pruneTombstones!.run(collection, uptoSeq);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

interface RawFace {
  seq: number;
  face_id: string;
  subject_id: string;
  payload: string;
  vector: Uint8Array;
}

function decode(r: RawFace): StoredFace {
  return { seq: r.seq, faceId: r.face_id, subjectId: r.subject_id, payload: JSON.parse(r.payload) as FacePayload, vector: fromBlob(r.vector) };
}
