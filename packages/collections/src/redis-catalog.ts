import { NotFoundError, ServiceUnavailableError } from '@facerec/errors';
import { type LinkState, RedisLink } from '@facerec/redis';
import { type Redis, ReplyError } from 'ioredis';
import { type Catalog, type Centroid, type CollectionRow, type FaceRow, HIDDEN_NAME_PREFIX, type ImportedSubject, type NewCollectionRow, type SubjectRow, type WriteGuard } from './catalog.ts';
import type { MigrationRecord, MigrationState } from './migration-record.ts';
import { catalogScripts, type CatalogScripts } from './redis-catalog-scripts.ts';

/**
 * The catalog in Redis, for fleets: every gateway sees the same collections, and the enrollment jobs any of
 * them runs land in one place. Layout under `<prefix>catalog:` (one set of keys per collection id, so a
 * collection drop is a handful of UNLINKs that Redis frees in the background however large it was):
 *
 *   names:<tenant>     hash  collection name → id
 *   col:<id>           JSON  CollectionRow
 *   subjects:<id>      zset  subject ids (score 0: ordered by id, which the cursor pagination needs)
 *   screated:<id>      hash  subject id → created_at
 *   smeta:<id>         hash  subject id → metadata JSON
 *   sfaces:<id>        hash  subject id → its face ids, space separated
 *   faces:<id>         hash  face id → FaceRow JSON
 *   centroid:<id>      hash  'n' → vectors summed, '0'..'d-1' → the sum of the enrolled vectors
 *   crops:<id>         hash  face id → its aligned crop (encoded image bytes)
 *   migrations:<id>    hash  migration id → MigrationRecord JSON
 *   migrations:active  set   "<collection id> <migration id>" of every running, ready or committing migration
 *
 * Multi-key changes run as Lua scripts, so each is atomic like the SQLite transactions. Durability is the
 * server's: run it with appendonly (see infra/docker-compose.yml), as BullMQ also needs.
 */
export interface RedisCatalogOptions {
  /** How long a request gives an unresponsive Redis before answering 503 catalog_unavailable. */
  timeoutMs: number;
  /** Reachability changes (down with the reason, up again), once each: not every reconnect attempt. */
  onChange(state: LinkState): void;
}

export class RedisCatalog implements Catalog {
  private readonly link: RedisLink;
  private readonly redis: Redis & CatalogScripts;
  private readonly p: string;

  constructor(url: string, prefix: string, opts: RedisCatalogOptions) {
    this.link = new RedisLink({ url, timeoutMs: opts.timeoutMs, onChange: opts.onChange });
    this.redis = catalogScripts(this.link.client);
    this.p = `${prefix}catalog:`;
  }

  unreachable(): string | null {
    const state = this.link.state;
    return state.up ? null : state.reason;
  }

  private keys(id: string) {
    const p = this.p;
    return {
      col: `${p}col:${id}`,
      subjects: `${p}subjects:${id}`,
      created: `${p}screated:${id}`,
      meta: `${p}smeta:${id}`,
      sfaces: `${p}sfaces:${id}`,
      faces: `${p}faces:${id}`,
      centroid: `${p}centroid:${id}`,
      crops: `${p}crops:${id}`,
      migrations: `${p}migrations:${id}`,
    };
  }

  /**
   * Every command goes through here: a Redis that cannot be reached is a 503 the caller can retry, not a
   * 500 or a wait for the length of the outage, and the message says which store it was. Redis answering
   * with an error is our bug (a script, a key of the wrong type) and stays one.
   */
  private q<T>(command: () => Promise<T>): Promise<T> {
    return this.link
      .guard(command, (reason) => new ServiceUnavailableError(`The collections catalog (Redis) is unavailable: ${reason}`, 'catalog_unavailable'))
      .catch((err: unknown) => {
        // A script refusing a write while a model switch holds the collection: the caller may retry.
        if (err instanceof ReplyError && (err as Error).message.startsWith('SWITCHING')) throw switching();
        throw err;
      });
  }

  private names(tenant: string): string {
    return `${this.p}names:${tenant}`;
  }

  async createCollection(row: NewCollectionRow): Promise<boolean> {
    const full: CollectionRow = { storeCrops: true, generation: 0, faceIdSeed: null, fence: null, ...row };
    const created = await this.q(() => this.redis.catalogCreateCollection(this.names(row.tenant), this.keys(row.id).col, row.name, row.id, JSON.stringify(full)));
    return created === 1;
  }

  async getCollection(tenant: string, name: string): Promise<CollectionRow | null> {
    const id = await this.q(() => this.redis.hget(this.names(tenant), name));
    return id === null ? null : this.getCollectionById(id);
  }

  async getCollectionById(id: string): Promise<CollectionRow | null> {
    const raw = await this.q(() => this.redis.get(this.keys(id).col));
    return raw === null ? null : toCollection(raw);
  }

  async listCollections(tenant: string): Promise<CollectionRow[]> {
    const ids = Object.values(await this.q(() => this.redis.hgetall(this.names(tenant))));
    if (ids.length === 0) return [];
    const rows = await this.q(() => this.redis.mget(...ids.map((id) => this.keys(id).col)));
    return rows
      .filter((r): r is string => r !== null)
      .map(toCollection)
      .filter((c) => !c.name.startsWith(HIDDEN_NAME_PREFIX))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async renameCollection(id: string, name: string): Promise<boolean> {
    const row = await this.getCollectionById(id);
    if (!row) return false;
    const renamed = await this.q(() => this.redis.catalogRenameCollection(this.names(row.tenant), this.keys(id).col, row.name, name, id, JSON.stringify({ ...row, name })));
    return renamed === 1;
  }

  /** One MULTI per call: the importer sends each subject with all its faces in the same call, so its face list is whole. */
  async importRows(collectionId: string, rows: { subjects: ImportedSubject[]; faces: Array<{ face: FaceRow; crop?: Uint8Array | undefined }> }): Promise<void> {
    const k = this.keys(collectionId);
    const bySubject = new Map<string, string[]>();
    for (const { face } of rows.faces) bySubject.set(face.subjectId, [...(bySubject.get(face.subjectId) ?? []), face.id]);
    const m = this.redis.multi();
    for (const s of rows.subjects) {
      m.zadd(k.subjects, 0, s.subjectId);
      m.hset(k.created, s.subjectId, s.createdAt);
      if (s.metadata !== null) m.hset(k.meta, s.subjectId, JSON.stringify(s.metadata));
    }
    for (const [subject, ids] of bySubject) m.hset(k.sfaces, subject, ids.join(' '));
    for (const { face, crop } of rows.faces) {
      m.hset(k.faces, face.id, JSON.stringify({ ...face, collectionId }));
      if (crop && crop.length > 0) m.hset(k.crops, face.id, Buffer.from(crop.buffer, crop.byteOffset, crop.byteLength));
    }
    const results = await this.q(() => m.exec());
    const failed = results?.find(([err]) => err);
    if (failed) throw failed[0];
  }

  async faceIdsTaken(): Promise<Set<string>> {
    return new Set();
  }

  async setCentroid(collectionId: string, centroid: Centroid | null): Promise<void> {
    const key = this.keys(collectionId).centroid;
    const m = this.redis.multi().del(key);
    // JS's shortest round-trip decimal of each float64: what getCentroid parses back is the same number.
    if (centroid) m.hset(key, { n: String(centroid.count), ...Object.fromEntries(Array.from(centroid.sum, (v, i) => [String(i), String(v)])) });
    await this.q(() => m.exec());
  }

  async deleteCollection(id: string): Promise<boolean> {
    const k = this.keys(id);
    const row = await this.getCollectionById(id);
    if (!row) return false;
    const done = await this.q(() =>
      this.redis.catalogDeleteCollection(this.names(row.tenant), k.col, k.subjects, k.created, k.meta, k.sfaces, k.faces, k.centroid, k.crops, k.migrations, row.name, id),
    );
    return done === 1;
  }

  async countSubjects(collectionId: string): Promise<number> {
    return this.q(() => this.redis.zcard(this.keys(collectionId).subjects));
  }

  async countFaces(collectionId: string): Promise<number> {
    return this.q(() => this.redis.hlen(this.keys(collectionId).faces));
  }

  async addFace(face: FaceRow, metadata: Record<string, unknown> | undefined, vector: Float32Array, opts: { crop?: Uint8Array | undefined; guard?: WriteGuard | undefined } = {}): Promise<FaceRow> {
    const k = this.keys(face.collectionId);
    const stored = await this.q(() => this.redis.catalogAddFace(
      k.col,
      k.subjects,
      k.created,
      k.meta,
      k.sfaces,
      k.faces,
      k.centroid,
      k.crops,
      face.subjectId,
      face.id,
      JSON.stringify(face),
      metadata === undefined ? '' : JSON.stringify(metadata),
      face.createdAt,
      Array.from(vector).join(','),
      opts.crop && opts.crop.length > 0 ? Buffer.from(opts.crop.buffer, opts.crop.byteOffset, opts.crop.byteLength) : '',
      opts.guard ? String(opts.guard.generation) : '',
    ));
    // The collection was dropped between the caller's lookup and this write: nothing was stored.
    if (stored === null) throw new NotFoundError('The collection no longer exists', 'collection_not_found');
    return JSON.parse(stored) as FaceRow;
  }

  async getFace(collectionId: string, faceId: string): Promise<FaceRow | null> {
    const raw = await this.q(() => this.redis.hget(this.keys(collectionId).faces, faceId));
    return raw === null ? null : (JSON.parse(raw) as FaceRow);
  }

  async getCrop(collectionId: string, faceId: string): Promise<Buffer | null> {
    return this.q(() => this.redis.hgetBuffer(this.keys(collectionId).crops, faceId));
  }

  async getFaces(collectionId: string, faceIds: string[]): Promise<FaceRow[]> {
    if (faceIds.length === 0) return [];
    const rows = await this.q(() => this.redis.hmget(this.keys(collectionId).faces, ...faceIds));
    return rows.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as FaceRow);
  }

  async knownFaceIds(collectionId: string, faceIds: string[]): Promise<Set<string>> {
    if (faceIds.length === 0) return new Set();
    const found = await this.q(() => this.redis.hmget(this.keys(collectionId).faces, ...faceIds));
    return new Set(faceIds.filter((_, i) => found[i] !== null));
  }

  async deleteFace(collectionId: string, faceId: string, vector: Float32Array | null, opts: { guard?: WriteGuard | undefined } = {}): Promise<boolean> {
    const k = this.keys(collectionId);
    const guard = opts.guard ? String(opts.guard.generation) : '';
    return (await this.q(() => this.redis.catalogDeleteFace(k.faces, k.sfaces, k.centroid, k.col, k.crops, faceId, vector ? Array.from(vector).join(',') : '', guard))) === 1;
  }

  async getCentroid(collectionId: string): Promise<Centroid | null> {
    const h = await this.q(() => this.redis.hgetall(this.keys(collectionId).centroid));
    const count = Number(h.n ?? 0);
    if (!(count > 0)) return null;
    const dims = Object.keys(h).filter((f) => f !== 'n').length;
    const sum = new Float64Array(dims);
    for (let i = 0; i < dims; i++) sum[i] = Number(h[String(i)] ?? 0);
    return { sum, count };
  }

  async facesOfSubjects(collectionId: string, subjectIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (subjectIds.length === 0) return out;
    const lists = await this.q(() => this.redis.hmget(this.keys(collectionId).sfaces, ...subjectIds));
    subjectIds.forEach((s, i) => {
      const ids = faceIdsOf(lists[i] ?? null);
      if (ids.length) out.set(s, ids.sort());
    });
    return out;
  }

  private async subjectRows(collectionId: string, subjectIds: string[]): Promise<SubjectRow[]> {
    if (subjectIds.length === 0) return [];
    const k = this.keys(collectionId);
    const [created, meta, faces] = await Promise.all([
      this.q(() => this.redis.hmget(k.created, ...subjectIds)),
      this.q(() => this.redis.hmget(k.meta, ...subjectIds)),
      this.q(() => this.redis.hmget(k.sfaces, ...subjectIds)),
    ]);
    return subjectIds.map((subjectId, i) => ({
      collectionId,
      subjectId,
      metadata: meta[i] ? (JSON.parse(meta[i]) as Record<string, unknown>) : null,
      createdAt: created[i] ?? '',
      faceCount: faceIdsOf(faces[i] ?? null).length,
    }));
  }

  async getSubject(collectionId: string, subjectId: string): Promise<SubjectRow | null> {
    if ((await this.q(() => this.redis.zscore(this.keys(collectionId).subjects, subjectId))) === null) return null;
    return (await this.subjectRows(collectionId, [subjectId]))[0] ?? null;
  }

  async listSubjects(collectionId: string, opts: { after?: string | undefined; limit: number }): Promise<SubjectRow[]> {
    const from = opts.after === undefined ? '-' : `(${opts.after}`;
    const ids = await this.q(() => this.redis.zrangebylex(this.keys(collectionId).subjects, from, '+', 'LIMIT', 0, opts.limit));
    return this.subjectRows(collectionId, ids);
  }

  async listFaces(collectionId: string, subjectId: string): Promise<FaceRow[]> {
    const k = this.keys(collectionId);
    const ids = faceIdsOf(await this.q(() => this.redis.hget(k.sfaces, subjectId)));
    if (ids.length === 0) return [];
    const rows = (await this.q(() => this.redis.hmget(k.faces, ...ids))).filter((r): r is string => r !== null).map((r) => JSON.parse(r) as FaceRow);
    return rows.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
  }

  async deleteSubject(collectionId: string, subjectId: string, vectors: Centroid | null, opts: { guard?: WriteGuard | undefined } = {}): Promise<boolean> {
    const k = this.keys(collectionId);
    const sum = vectors ? Array.from(vectors.sum).join(',') : '';
    const guard = opts.guard ? String(opts.guard.generation) : '';
    return (
      (await this.q(() => this.redis.catalogDeleteSubject(k.subjects, k.created, k.meta, k.sfaces, k.faces, k.centroid, k.col, k.crops, subjectId, sum, String(vectors?.count ?? 0), guard))) === 1
    );
  }

  private get activeKey(): string {
    return `${this.p}migrations:active`;
  }

  async createMigration(rec: MigrationRecord): Promise<boolean> {
    const k = this.keys(rec.collectionId);
    return (await this.q(() => this.redis.catalogCreateMigration(k.col, k.migrations, this.activeKey, rec.id, JSON.stringify(rec), rec.collectionId))) === 1;
  }

  async getMigration(collectionId: string, id: string): Promise<MigrationRecord | null> {
    const raw = await this.q(() => this.redis.hget(this.keys(collectionId).migrations, id));
    return raw === null ? null : (JSON.parse(raw) as MigrationRecord);
  }

  async listMigrations(collectionId: string): Promise<MigrationRecord[]> {
    const all = Object.values(await this.q(() => this.redis.hgetall(this.keys(collectionId).migrations))).map((r) => JSON.parse(r) as MigrationRecord);
    return all.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? 1 : -1));
  }

  async activeMigration(collectionId: string): Promise<MigrationRecord | null> {
    return (await this.listMigrations(collectionId)).find((m) => m.state === 'running' || m.state === 'ready' || m.state === 'committing') ?? null;
  }

  async activeMigrations(): Promise<MigrationRecord[]> {
    const out: MigrationRecord[] = [];
    for (const member of await this.q(() => this.redis.smembers(this.activeKey))) {
      const [collectionId, id] = member.split(' ') as [string, string];
      const rec = await this.getMigration(collectionId, id);
      // The collection was dropped (its records went with it): forget the entry.
      if (!rec || !(await this.getCollectionById(collectionId))) await this.q(() => this.redis.srem(this.activeKey, member));
      else if (rec.state === 'running' || rec.state === 'ready' || rec.state === 'committing') out.push(rec);
    }
    return out;
  }

  async updateMigration(rec: MigrationRecord, expect: readonly MigrationState[]): Promise<boolean> {
    const k = this.keys(rec.collectionId);
    return (await this.q(() => this.redis.catalogUpdateMigration(k.migrations, this.activeKey, rec.id, JSON.stringify(rec), expect.join(','), rec.collectionId))) === 1;
  }

  async setFence(collectionId: string, fence: string | null, expect: string | null): Promise<boolean> {
    const key = this.keys(collectionId).col;
    const raw = await this.q(() => this.redis.get(key));
    if (raw === null) return false;
    const row = toCollection(raw);
    if (row.fence !== expect) return false;
    return (await this.q(() => this.redis.catalogCasString(key, raw, JSON.stringify({ ...row, fence })))) === 1;
  }

  async switchEmbedder(collectionId: string, rec: MigrationRecord, centroid: Centroid | null): Promise<boolean> {
    const k = this.keys(collectionId);
    const raw = await this.q(() => this.redis.get(k.col));
    if (raw === null) return false;
    const row = toCollection(raw);
    if (row.fence !== rec.id) return false;
    const next = JSON.stringify({ ...row, embedder: rec.to.embedder, dimension: rec.to.dimension, generation: rec.to.generation, fence: null });
    const sum = centroid ? [String(centroid.count), ...Array.from(centroid.sum, (v) => String(v))] : [''];
    return (await this.q(() => this.redis.catalogSwitchEmbedder(k.col, k.centroid, k.migrations, this.activeKey, raw, next, rec.id, JSON.stringify(rec), collectionId, ...sum))) === 1;
  }

  async close(): Promise<void> {
    await this.link.close();
  }
}

/**
 * Rows written before open-set decisions had a fixed threshold and no targetFpir: they keep that threshold.
 * Rows from before stored crops and migrations store crops from now on, in generation 0.
 */
function toCollection(raw: string): CollectionRow {
  const row = JSON.parse(raw) as Partial<CollectionRow> & NewCollectionRow;
  return { ...row, targetFpir: row.targetFpir ?? null, storeCrops: row.storeCrops ?? true, generation: row.generation ?? 0, faceIdSeed: row.faceIdSeed ?? null, fence: row.fence ?? null };
}

function switching(): ServiceUnavailableError {
  return new ServiceUnavailableError('The collection is switching to another embedder (a migration is being committed); retry in a moment', 'collection_switching');
}

function faceIdsOf(list: string | null): string[] {
  return list ? list.split(' ').filter(Boolean) : [];
}
