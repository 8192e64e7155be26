import { NotFoundError, ServiceUnavailableError } from '@facerec/errors';
import { type LinkState, RedisLink } from '@facerec/redis';
import type { Redis } from 'ioredis';
import type { Catalog, Centroid, CollectionRow, FaceRow, SubjectRow } from './catalog.ts';
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
    };
  }

  /**
   * Every command goes through here: a Redis that cannot be reached is a 503 the caller can retry, not a
   * 500 or a wait for the length of the outage, and the message says which store it was. Redis answering
   * with an error is our bug (a script, a key of the wrong type) and stays one.
   */
  private q<T>(command: () => Promise<T>): Promise<T> {
    return this.link.guard(command, (reason) => new ServiceUnavailableError(`The collections catalog (Redis) is unavailable: ${reason}`, 'catalog_unavailable'));
  }

  private names(tenant: string): string {
    return `${this.p}names:${tenant}`;
  }

  async createCollection(row: CollectionRow): Promise<boolean> {
    const created = await this.q(() => this.redis.catalogCreateCollection(this.names(row.tenant), this.keys(row.id).col, row.name, row.id, JSON.stringify(row)));
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
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async deleteCollection(id: string): Promise<boolean> {
    const k = this.keys(id);
    const row = await this.getCollectionById(id);
    if (!row) return false;
    const done = await this.q(() => this.redis.catalogDeleteCollection(this.names(row.tenant), k.col, k.subjects, k.created, k.meta, k.sfaces, k.faces, k.centroid, row.name, id));
    return done === 1;
  }

  async countSubjects(collectionId: string): Promise<number> {
    return this.q(() => this.redis.zcard(this.keys(collectionId).subjects));
  }

  async countFaces(collectionId: string): Promise<number> {
    return this.q(() => this.redis.hlen(this.keys(collectionId).faces));
  }

  async addFace(face: FaceRow, metadata: Record<string, unknown> | undefined, vector: Float32Array): Promise<FaceRow> {
    const k = this.keys(face.collectionId);
    const stored = await this.q(() => this.redis.catalogAddFace(
      k.col,
      k.subjects,
      k.created,
      k.meta,
      k.sfaces,
      k.faces,
      k.centroid,
      face.subjectId,
      face.id,
      JSON.stringify(face),
      metadata === undefined ? '' : JSON.stringify(metadata),
      face.createdAt,
      Array.from(vector).join(','),
    ));
    // The collection was dropped between the caller's lookup and this write: nothing was stored.
    if (stored === null) throw new NotFoundError('The collection no longer exists', 'collection_not_found');
    return JSON.parse(stored) as FaceRow;
  }

  async getFace(collectionId: string, faceId: string): Promise<FaceRow | null> {
    const raw = await this.q(() => this.redis.hget(this.keys(collectionId).faces, faceId));
    return raw === null ? null : (JSON.parse(raw) as FaceRow);
  }

  async knownFaceIds(collectionId: string, faceIds: string[]): Promise<Set<string>> {
    if (faceIds.length === 0) return new Set();
    const found = await this.q(() => this.redis.hmget(this.keys(collectionId).faces, ...faceIds));
    return new Set(faceIds.filter((_, i) => found[i] !== null));
  }

  async deleteFace(collectionId: string, faceId: string, vector: Float32Array | null): Promise<boolean> {
    const k = this.keys(collectionId);
    return (await this.q(() => this.redis.catalogDeleteFace(k.faces, k.sfaces, k.centroid, faceId, vector ? Array.from(vector).join(',') : ''))) === 1;
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

  async deleteSubject(collectionId: string, subjectId: string, vectors: Centroid | null): Promise<boolean> {
    const k = this.keys(collectionId);
    const sum = vectors ? Array.from(vectors.sum).join(',') : '';
    return (await this.q(() => this.redis.catalogDeleteSubject(k.subjects, k.created, k.meta, k.sfaces, k.faces, k.centroid, subjectId, sum, String(vectors?.count ?? 0)))) === 1;
  }

  async close(): Promise<void> {
    await this.link.close();
  }
}

/** Rows written before open-set decisions had a fixed threshold and no targetFpir: they keep that threshold. */
function toCollection(raw: string): CollectionRow {
  const row = JSON.parse(raw) as CollectionRow;
  return { ...row, targetFpir: row.targetFpir ?? null };
}

function faceIdsOf(list: string | null): string[] {
  return list ? list.split(' ').filter(Boolean) : [];
}
