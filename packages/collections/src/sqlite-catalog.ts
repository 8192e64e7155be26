import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { immediateTransaction } from '@facerec/sqlite';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { ServiceUnavailableError } from '@facerec/errors';
import { type Catalog, type Centroid, type CollectionRow, type FaceRow, HIDDEN_NAME_PREFIX, type ImportedSubject, type NewCollectionRow, type SubjectRow, type WriteGuard } from './catalog.ts';
import { ACTIVE_MIGRATION_STATES, type MigrationRecord, type MigrationState } from './migration-record.ts';

const ACTIVE_SQL = ACTIVE_MIGRATION_STATES.map((s) => `'${s}'`).join(', ');

const schema = `
CREATE TABLE IF NOT EXISTS collections (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  embedder TEXT NOT NULL,
  dimension INTEGER NOT NULL,
  threshold REAL,
  target_fpir REAL,
  target_far TEXT,
  created_at TEXT NOT NULL,
  deleting INTEGER NOT NULL DEFAULT 0,
  store_crops INTEGER NOT NULL DEFAULT 1,
  generation INTEGER NOT NULL DEFAULT 0,
  face_id_seed TEXT,
  fence TEXT,
  UNIQUE (tenant, name)
);
CREATE TABLE IF NOT EXISTS centroids (
  collection_id TEXT PRIMARY KEY REFERENCES collections(id) ON DELETE CASCADE,
  sum BLOB NOT NULL,
  count INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS subjects (
  collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  subject_id TEXT NOT NULL,
  metadata TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (collection_id, subject_id)
);
CREATE TABLE IF NOT EXISTS faces (
  id TEXT PRIMARY KEY,
  collection_id TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  quality TEXT NOT NULL,
  box TEXT NOT NULL,
  created_at TEXT NOT NULL,
  FOREIGN KEY (collection_id, subject_id) REFERENCES subjects(collection_id, subject_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS faces_by_subject ON faces (collection_id, subject_id);
CREATE TABLE IF NOT EXISTS crops (
  face_id TEXT PRIMARY KEY REFERENCES faces(id) ON DELETE CASCADE,
  bytes BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS migrations (
  id TEXT PRIMARY KEY,
  collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  state TEXT NOT NULL,
  created_at TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS migrations_by_collection ON migrations (collection_id, created_at);
CREATE INDEX IF NOT EXISTS migrations_by_state ON migrations (state);
`;

type Row = Record<string, SQLInputValue>;

/** Rows deleted per transaction when a collection is dropped: a few milliseconds of work each. */
const PURGE_CHUNK = 5_000;

function toCollection(r: Row): CollectionRow {
  return {
    id: String(r.id),
    tenant: String(r.tenant),
    name: String(r.name),
    embedder: String(r.embedder),
    dimension: Number(r.dimension),
    threshold: r.threshold === null ? null : Number(r.threshold),
    targetFpir: r.target_fpir === null || r.target_fpir === undefined ? null : Number(r.target_fpir),
    targetFar: r.target_far === null ? null : String(r.target_far),
    createdAt: String(r.created_at),
    storeCrops: Number(r.store_crops ?? 1) === 1,
    generation: Number(r.generation ?? 0),
    faceIdSeed: r.face_id_seed === null || r.face_id_seed === undefined ? null : String(r.face_id_seed),
    fence: r.fence === null || r.fence === undefined ? null : String(r.fence),
  };
}

function switching(): ServiceUnavailableError {
  return new ServiceUnavailableError('The collection is switching to another embedder (a migration is being committed); retry in a moment', 'collection_switching');
}

function toSubject(r: Row): SubjectRow {
  return {
    collectionId: String(r.collection_id),
    subjectId: String(r.subject_id),
    metadata: r.metadata === null ? null : (JSON.parse(String(r.metadata)) as Record<string, unknown>),
    createdAt: String(r.created_at),
    faceCount: Number(r.face_count ?? 0),
  };
}

function toFace(r: Row): FaceRow {
  return {
    id: String(r.id),
    collectionId: String(r.collection_id),
    subjectId: String(r.subject_id),
    sha256: String(r.sha256),
    quality: JSON.parse(String(r.quality)) as FaceRow['quality'],
    box: JSON.parse(String(r.box)) as FaceRow['box'],
    createdAt: String(r.created_at),
  };
}

/**
 * The catalog in one SQLite file. WAL with synchronous=FULL: a committed transaction is on disk before the
 * call returns, which is what lets the service acknowledge an enrollment right after it.
 */
export class SqliteCatalog implements Catalog {
  private readonly db: DatabaseSync;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new DatabaseSync(file);
    // secure_delete: a deleted face's crop (a photo of someone) is overwritten in the file, not just unlinked.
    this.db.exec('PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;');
    this.db.exec(schema);
    this.migrate();
    // Drops a crash interrupted: finished now, before the service answers anything.
    for (const r of this.all('SELECT id FROM collections WHERE deleting = 1')) {
      while (this.purgeChunk(String(r.id))) {}
    }
  }

  /** Brings catalogs written by earlier versions to the current schema. */
  private migrate(): void {
    const columns = this.all('PRAGMA table_info(collections)');
    // Before chunked drops.
    if (!columns.some((c) => c.name === 'deleting')) this.db.exec('ALTER TABLE collections ADD COLUMN deleting INTEGER NOT NULL DEFAULT 0');
    // Before open-set decisions, every collection had a fixed threshold: keep it, as a fixed threshold.
    if (!columns.some((c) => c.name === 'target_fpir')) this.db.exec('ALTER TABLE collections ADD COLUMN target_fpir REAL');
    // Before stored crops and model migrations.
    if (!columns.some((c) => c.name === 'store_crops')) {
      this.db.exec(`ALTER TABLE collections ADD COLUMN store_crops INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE collections ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE collections ADD COLUMN face_id_seed TEXT;
        ALTER TABLE collections ADD COLUMN fence TEXT;`);
    }
    // ...in a NOT NULL column, which SQLite cannot relax in place: copy the table once. Foreign keys are off
    // for the copy, or dropping the old table would cascade into every subject.
    if (columns.some((c) => c.name === 'threshold' && Number(c.notnull) === 1)) {
      this.db.exec('PRAGMA foreign_keys = OFF');
      this.transaction(() => {
        this.db.exec(schema.replace('CREATE TABLE IF NOT EXISTS collections (', 'CREATE TABLE collections_v2 (').split('CREATE TABLE IF NOT EXISTS centroids')[0]!);
        this.db.exec(`INSERT INTO collections_v2 (id, tenant, name, embedder, dimension, threshold, target_fpir, target_far, created_at, deleting)
          SELECT id, tenant, name, embedder, dimension, threshold, target_fpir, target_far, created_at, deleting FROM collections`);
        this.db.exec('DROP TABLE collections; ALTER TABLE collections_v2 RENAME TO collections;');
      });
      this.db.exec('PRAGMA foreign_keys = ON');
    }
  }

  /**
   * After crops were deleted: the WAL still holds the frames that wrote them until a checkpoint copies the
   * zeroed pages back and truncates it; without this a deleted face's image could linger on disk for a while.
   */
  private forgetDeleted(): void {
    this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  }

  private all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.db.prepare(sql).all(...params) as Row[];
  }

  private one(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.db.prepare(sql).get(...params) as Row | undefined;
  }

  private transaction<T>(fn: () => T): T {
    return immediateTransaction(this.db, fn);
  }

  /** A local file: there is nothing to be cut off from. */
  unreachable(): null {
    return null;
  }

  async createCollection(row: NewCollectionRow): Promise<boolean> {
    const res = this.db
      .prepare(
        `INSERT INTO collections (id, tenant, name, embedder, dimension, threshold, target_fpir, target_far, created_at, store_crops, generation, face_id_seed, fence)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, name) DO NOTHING`,
      )
      .run(
        row.id, row.tenant, row.name, row.embedder, row.dimension, row.threshold, row.targetFpir, row.targetFar, row.createdAt,
        row.storeCrops === false ? 0 : 1, row.generation ?? 0, row.faceIdSeed ?? null, row.fence ?? null,
      );
    return Number(res.changes) === 1;
  }

  /** Inside a transaction: refuses a write made for another vector space than the collection's current one. */
  private checkGuard(collectionId: string, guard: WriteGuard | undefined): void {
    if (!guard) return;
    const r = this.one('SELECT generation, fence FROM collections WHERE id = ?', collectionId);
    if (r && (Number(r.generation) !== guard.generation || r.fence !== null)) throw switching();
  }

  async getCollection(tenant: string, name: string): Promise<CollectionRow | null> {
    const r = this.one('SELECT * FROM collections WHERE tenant = ? AND name = ? AND deleting = 0', tenant, name);
    return r ? toCollection(r) : null;
  }

  async getCollectionById(id: string): Promise<CollectionRow | null> {
    const r = this.one('SELECT * FROM collections WHERE id = ? AND deleting = 0', id);
    return r ? toCollection(r) : null;
  }

  async listCollections(tenant: string): Promise<CollectionRow[]> {
    return this.all('SELECT * FROM collections WHERE tenant = ? AND deleting = 0 ORDER BY name', tenant)
      .map(toCollection)
      .filter((c) => !c.name.startsWith(HIDDEN_NAME_PREFIX));
  }

  async renameCollection(id: string, name: string): Promise<boolean> {
    try {
      return Number(this.db.prepare('UPDATE collections SET name = ? WHERE id = ? AND deleting = 0').run(name, id).changes) === 1;
    } catch (err) {
      if (/UNIQUE constraint failed/.test((err as Error).message)) return false;
      throw err;
    }
  }

  async importRows(collectionId: string, rows: { subjects: ImportedSubject[]; faces: Array<{ face: FaceRow; crop?: Uint8Array | undefined }> }): Promise<void> {
    this.transaction(() => {
      const subject = this.db.prepare(
        `INSERT INTO subjects (collection_id, subject_id, metadata, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (collection_id, subject_id) DO UPDATE SET metadata = excluded.metadata`,
      );
      for (const s of rows.subjects) subject.run(collectionId, s.subjectId, s.metadata === null ? null : JSON.stringify(s.metadata), s.createdAt);
      const face = this.db.prepare(
        'INSERT INTO faces (id, collection_id, subject_id, sha256, quality, box, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      );
      const crop = this.db.prepare('INSERT OR REPLACE INTO crops (face_id, bytes) VALUES (?, ?)');
      for (const { face: f, crop: bytes } of rows.faces) {
        face.run(f.id, collectionId, f.subjectId, f.sha256, JSON.stringify(f.quality), JSON.stringify(f.box), f.createdAt);
        if (bytes && bytes.length > 0) crop.run(f.id, bytes);
      }
    });
  }

  async faceIdsTaken(faceIds: string[]): Promise<Set<string>> {
    const taken = new Set<string>();
    for (let i = 0; i < faceIds.length; i += 10_000) {
      const chunk = faceIds.slice(i, i + 10_000);
      for (const r of this.all(`SELECT id FROM faces WHERE id IN (${chunk.map(() => '?').join(',')})`, ...chunk)) taken.add(String(r.id));
    }
    return taken;
  }

  async setCentroid(collectionId: string, centroid: Centroid | null): Promise<void> {
    if (!centroid) {
      this.db.prepare('DELETE FROM centroids WHERE collection_id = ?').run(collectionId);
      return;
    }
    const sum = Float64Array.from(centroid.sum);
    this.db
      .prepare('INSERT INTO centroids (collection_id, sum, count) VALUES (?, ?, ?) ON CONFLICT (collection_id) DO UPDATE SET sum = excluded.sum, count = excluded.count')
      .run(collectionId, new Uint8Array(sum.buffer), centroid.count);
  }

  /**
   * In two steps, so that dropping a million faces never holds the event loop for seconds (node:sqlite is
   * synchronous): the collection disappears at once (hidden, and renamed so its name is free again), then its
   * rows go in chunks with a turn of the event loop between them. A crash mid-way is finished at next open.
   */
  async deleteCollection(id: string): Promise<boolean> {
    const hidden = this.db.prepare("UPDATE collections SET deleting = 1, name = '~' || id WHERE id = ? AND deleting = 0").run(id);
    if (Number(hidden.changes) === 0) return false;
    while (this.purgeChunk(id)) await new Promise((resolve) => setImmediate(resolve));
    this.forgetDeleted();
    return true;
  }

  /** Deletes up to PURGE_CHUNK rows of a hidden collection; false once the collection row itself is gone. */
  private purgeChunk(id: string): boolean {
    return this.transaction(() => {
      for (const table of ['faces', 'subjects', 'centroids', 'migrations']) {
        const gone = this.db.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE collection_id = ? LIMIT ?)`).run(id, PURGE_CHUNK);
        if (Number(gone.changes) > 0) return true;
      }
      this.db.prepare('DELETE FROM collections WHERE id = ? AND deleting = 1').run(id);
      return false;
    });
  }

  async countSubjects(collectionId: string): Promise<number> {
    return Number(this.one('SELECT COUNT(*) AS n FROM subjects WHERE collection_id = ?', collectionId)?.n ?? 0);
  }

  async countFaces(collectionId: string): Promise<number> {
    return Number(this.one('SELECT COUNT(*) AS n FROM faces WHERE collection_id = ?', collectionId)?.n ?? 0);
  }

  async addFace(face: FaceRow, metadata: Record<string, unknown> | undefined, vector: Float32Array, opts: { crop?: Uint8Array | undefined; guard?: WriteGuard | undefined } = {}): Promise<FaceRow> {
    return this.transaction(() => {
      this.checkGuard(face.collectionId, opts.guard);
      const meta = metadata === undefined ? null : JSON.stringify(metadata);
      this.db
        .prepare(
          `INSERT INTO subjects (collection_id, subject_id, metadata, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (collection_id, subject_id) DO UPDATE SET metadata = COALESCE(excluded.metadata, subjects.metadata)`,
        )
        .run(face.collectionId, face.subjectId, meta, face.createdAt);
      this.db
        .prepare(
          `INSERT INTO faces (id, collection_id, subject_id, sha256, quality, box, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO NOTHING`,
        )
        .run(face.id, face.collectionId, face.subjectId, face.sha256, JSON.stringify(face.quality), JSON.stringify(face.box), face.createdAt);
      if (Number(this.one('SELECT changes() AS n')?.n) === 1) {
        this.addToCentroid(face.collectionId, vector, 1);
        if (opts.crop && opts.crop.length > 0) this.db.prepare('INSERT OR REPLACE INTO crops (face_id, bytes) VALUES (?, ?)').run(face.id, opts.crop);
      }
      return toFace(this.one('SELECT * FROM faces WHERE id = ?', face.id)!);
    });
  }

  /** Adds `sign` times the vector (or sum of `count` vectors) to the centroid; inside a transaction. */
  private addToCentroid(collectionId: string, vector: ArrayLike<number>, count: number, sign = 1): void {
    const row = this.one('SELECT sum, count FROM centroids WHERE collection_id = ?', collectionId);
    const sum = row ? new Float64Array(new Uint8Array(row.sum as Uint8Array).buffer) : new Float64Array(vector.length);
    if (sum.length !== vector.length) return; // a vector of another dimension cannot be in this collection
    for (let i = 0; i < sum.length; i++) sum[i]! += sign * vector[i]!;
    const n = Math.max(0, Number(row?.count ?? 0) + sign * count);
    this.db
      .prepare('INSERT INTO centroids (collection_id, sum, count) VALUES (?, ?, ?) ON CONFLICT (collection_id) DO UPDATE SET sum = excluded.sum, count = excluded.count')
      .run(collectionId, new Uint8Array(sum.buffer), n);
  }

  async getCrop(collectionId: string, faceId: string): Promise<Buffer | null> {
    const r = this.one('SELECT c.bytes FROM crops c JOIN faces f ON f.id = c.face_id WHERE f.collection_id = ? AND f.id = ?', collectionId, faceId);
    return r ? Buffer.from(r.bytes as Uint8Array) : null;
  }

  async getFaces(collectionId: string, faceIds: string[]): Promise<FaceRow[]> {
    if (faceIds.length === 0) return [];
    const byId = new Map<string, FaceRow>();
    // SQLite binds at most 32,766 parameters per statement.
    for (let i = 0; i < faceIds.length; i += 10_000) {
      const chunk = faceIds.slice(i, i + 10_000);
      const rows = this.all(`SELECT * FROM faces WHERE collection_id = ? AND id IN (${chunk.map(() => '?').join(',')})`, collectionId, ...chunk);
      for (const r of rows) byId.set(String(r.id), toFace(r));
    }
    return faceIds.flatMap((id) => byId.get(id) ?? []);
  }

  async getCentroid(collectionId: string): Promise<Centroid | null> {
    const row = this.one('SELECT sum, count FROM centroids WHERE collection_id = ?', collectionId);
    if (!row || Number(row.count) <= 0) return null;
    return { sum: new Float64Array(new Uint8Array(row.sum as Uint8Array).buffer), count: Number(row.count) };
  }

  async facesOfSubjects(collectionId: string, subjectIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (subjectIds.length === 0) return out;
    const marks = subjectIds.map(() => '?').join(',');
    for (const r of this.all(`SELECT id, subject_id FROM faces WHERE collection_id = ? AND subject_id IN (${marks}) ORDER BY id`, collectionId, ...subjectIds)) {
      const list = out.get(String(r.subject_id));
      if (list) list.push(String(r.id));
      else out.set(String(r.subject_id), [String(r.id)]);
    }
    return out;
  }

  async getFace(collectionId: string, faceId: string): Promise<FaceRow | null> {
    const r = this.one('SELECT * FROM faces WHERE collection_id = ? AND id = ?', collectionId, faceId);
    return r ? toFace(r) : null;
  }

  async knownFaceIds(collectionId: string, faceIds: string[]): Promise<Set<string>> {
    if (faceIds.length === 0) return new Set();
    const marks = faceIds.map(() => '?').join(',');
    const rows = this.all(`SELECT id FROM faces WHERE collection_id = ? AND id IN (${marks})`, collectionId, ...faceIds);
    return new Set(rows.map((r) => String(r.id)));
  }

  async deleteFace(collectionId: string, faceId: string, vector: Float32Array | null, opts: { guard?: WriteGuard | undefined } = {}): Promise<boolean> {
    const deleted = this.transaction(() => {
      this.checkGuard(collectionId, opts.guard);
      const gone = Number(this.db.prepare('DELETE FROM faces WHERE collection_id = ? AND id = ?').run(collectionId, faceId).changes) === 1;
      if (gone && vector) this.addToCentroid(collectionId, vector, 1, -1);
      return gone;
    });
    if (deleted) this.forgetDeleted();
    return deleted;
  }

  async getSubject(collectionId: string, subjectId: string): Promise<SubjectRow | null> {
    const r = this.one(
      `SELECT s.*, (SELECT COUNT(*) FROM faces f WHERE f.collection_id = s.collection_id AND f.subject_id = s.subject_id) AS face_count
       FROM subjects s WHERE s.collection_id = ? AND s.subject_id = ?`,
      collectionId,
      subjectId,
    );
    return r ? toSubject(r) : null;
  }

  async listSubjects(collectionId: string, opts: { after?: string | undefined; limit: number }): Promise<SubjectRow[]> {
    return this.all(
      `SELECT s.*, (SELECT COUNT(*) FROM faces f WHERE f.collection_id = s.collection_id AND f.subject_id = s.subject_id) AS face_count
       FROM subjects s WHERE s.collection_id = ? AND s.subject_id > ? ORDER BY s.subject_id LIMIT ?`,
      collectionId,
      opts.after ?? '',
      opts.limit,
    ).map(toSubject);
  }

  async listFaces(collectionId: string, subjectId: string): Promise<FaceRow[]> {
    return this.all('SELECT * FROM faces WHERE collection_id = ? AND subject_id = ? ORDER BY created_at, id', collectionId, subjectId).map(toFace);
  }

  async deleteSubject(collectionId: string, subjectId: string, vectors: Centroid | null, opts: { guard?: WriteGuard | undefined } = {}): Promise<boolean> {
    const deleted = this.transaction(() => {
      this.checkGuard(collectionId, opts.guard);
      this.db.prepare('DELETE FROM faces WHERE collection_id = ? AND subject_id = ?').run(collectionId, subjectId);
      const gone = Number(this.db.prepare('DELETE FROM subjects WHERE collection_id = ? AND subject_id = ?').run(collectionId, subjectId).changes) === 1;
      if (gone && vectors) this.addToCentroid(collectionId, vectors.sum, vectors.count, -1);
      return gone;
    });
    if (deleted) this.forgetDeleted();
    return deleted;
  }

  async createMigration(rec: MigrationRecord): Promise<boolean> {
    return this.transaction(() => {
      if (this.one(`SELECT id FROM migrations WHERE collection_id = ? AND state IN (${ACTIVE_SQL})`, rec.collectionId)) return false;
      if (!this.one('SELECT id FROM collections WHERE id = ? AND deleting = 0', rec.collectionId)) return false;
      this.db.prepare('INSERT INTO migrations (id, collection_id, state, created_at, record) VALUES (?, ?, ?, ?, ?)').run(rec.id, rec.collectionId, rec.state, rec.createdAt, JSON.stringify(rec));
      return true;
    });
  }

  async getMigration(collectionId: string, id: string): Promise<MigrationRecord | null> {
    const r = this.one('SELECT record FROM migrations WHERE collection_id = ? AND id = ?', collectionId, id);
    return r ? (JSON.parse(String(r.record)) as MigrationRecord) : null;
  }

  async listMigrations(collectionId: string): Promise<MigrationRecord[]> {
    return this.all('SELECT record FROM migrations WHERE collection_id = ? ORDER BY created_at DESC, id', collectionId).map((r) => JSON.parse(String(r.record)) as MigrationRecord);
  }

  async activeMigration(collectionId: string): Promise<MigrationRecord | null> {
    const r = this.one(`SELECT record FROM migrations WHERE collection_id = ? AND state IN (${ACTIVE_SQL})`, collectionId);
    return r ? (JSON.parse(String(r.record)) as MigrationRecord) : null;
  }

  async activeMigrations(): Promise<MigrationRecord[]> {
    return this.all(`SELECT m.record FROM migrations m JOIN collections c ON c.id = m.collection_id WHERE c.deleting = 0 AND m.state IN (${ACTIVE_SQL})`).map(
      (r) => JSON.parse(String(r.record)) as MigrationRecord,
    );
  }

  async updateMigration(rec: MigrationRecord, expect: readonly MigrationState[]): Promise<boolean> {
    const marks = expect.map(() => '?').join(', ');
    const res = this.db
      .prepare(`UPDATE migrations SET state = ?, record = ? WHERE id = ? AND collection_id = ? AND state IN (${marks})`)
      .run(rec.state, JSON.stringify(rec), rec.id, rec.collectionId, ...expect);
    return Number(res.changes) === 1;
  }

  async setFence(collectionId: string, fence: string | null, expect: string | null): Promise<boolean> {
    const res = this.db.prepare('UPDATE collections SET fence = ? WHERE id = ? AND fence IS ?').run(fence, collectionId, expect);
    return Number(res.changes) === 1;
  }

  async switchEmbedder(collectionId: string, rec: MigrationRecord, centroid: Centroid | null): Promise<boolean> {
    return this.transaction(() => {
      const m = this.one('SELECT state FROM migrations WHERE id = ? AND collection_id = ?', rec.id, collectionId);
      const c = this.one('SELECT fence FROM collections WHERE id = ? AND deleting = 0', collectionId);
      if (m?.state !== 'committing' || c?.fence !== rec.id) return false;
      this.db.prepare('UPDATE collections SET embedder = ?, dimension = ?, generation = ?, fence = NULL WHERE id = ?').run(rec.to.embedder, rec.to.dimension, rec.to.generation, collectionId);
      this.db.prepare('DELETE FROM centroids WHERE collection_id = ?').run(collectionId);
      if (centroid) {
        const sum = Float64Array.from(centroid.sum);
        this.db.prepare('INSERT INTO centroids (collection_id, sum, count) VALUES (?, ?, ?)').run(collectionId, new Uint8Array(sum.buffer), centroid.count);
      }
      this.db.prepare('UPDATE migrations SET state = ?, record = ? WHERE id = ?').run(rec.state, JSON.stringify(rec), rec.id);
      return true;
    });
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
