import type { MigrationRecord, MigrationState } from './migration-record.ts';

/**
 * Durable metadata of the 1:N API: collections, subjects and faces. Vectors live in the VectorIndex; the
 * catalog is what says which of them are acknowledged enrollments. Two adapters pass one contract suite
 * (catalog-contract.ts): SQLite under DATA_DIR for a single node, Redis when REDIS_URL is set, so every
 * gateway of a fleet sees the same collections.
 */
export interface CollectionRow {
  /** Internal id; also names the collection in the vector index, so a re-created name starts empty. */
  id: string;
  tenant: string;
  name: string;
  embedder: string;
  dimension: number;
  /** A fixed decision threshold for identify and verify; null: identify follows the gallery at `targetFpir`. */
  threshold: number | null;
  /** The false-positive identification rate identify keeps as the gallery grows (when `threshold` is null). */
  targetFpir: number | null;
  /** Per-pair false-accept rate verify decides at ('1e-2' | '1e-3' | '1e-4'); null: the default, 1e-3. */
  targetFar: string | null;
  createdAt: string;
  /** Each enrolled face's aligned crop is kept with it (what a migration to another embedder re-embeds). */
  storeCrops: boolean;
  /**
   * The vector space in use: 0 at creation, +1 each time a migration switches the collection to another
   * embedder. Its vectors live in the index collection `indexName(row)`, so the old space stays intact
   * (and searchable) until the switch.
   */
  generation: number;
  /** What face ids are derived from (see faceIdFor); null: the collection id. An imported collection keeps its source's. */
  faceIdSeed: string | null;
  /** Set while a migration switches the collection: face writes wait (503 collection_switching) until it clears. */
  fence: string | null;
}

/** What `createCollection` takes: the later fields default to crops stored, generation 0, own seed, no fence. */
export type NewCollectionRow = Omit<CollectionRow, 'storeCrops' | 'generation' | 'faceIdSeed' | 'fence'> &
  Partial<Pick<CollectionRow, 'storeCrops' | 'generation' | 'faceIdSeed' | 'fence'>>;

/** The index collection holding a collection's vectors of `generation` (its current one by default). */
export function indexName(row: Pick<CollectionRow, 'id' | 'generation'>, generation = row.generation): string {
  return generation === 0 ? row.id : `${row.id}_g${generation}`;
}

/** What a face write checks before it lands: the collection is still in the vector space the caller wrote vectors for. */
export interface WriteGuard {
  generation: number;
}

/**
 * Running sum of the collection's enrolled face vectors: its mean face is what identify subtracts before
 * comparing (see CollectionService). Kept with the rows, in the same transaction, so every gateway agrees.
 */
export interface Centroid {
  sum: Float64Array;
  count: number;
}

export interface SubjectRow {
  collectionId: string;
  subjectId: string;
  metadata: Record<string, unknown> | null;
  createdAt: string;
  faceCount: number;
}

export interface FaceRow {
  id: string;
  collectionId: string;
  subjectId: string;
  sha256: string;
  quality: { passed: boolean; reasons: string[] };
  box: { x: number; y: number; width: number; height: number };
  createdAt: string;
}

export interface Catalog {
  /** False when the tenant already has a collection of that name. */
  createCollection(row: NewCollectionRow): Promise<boolean>;
  getCollection(tenant: string, name: string): Promise<CollectionRow | null>;
  getCollectionById(id: string): Promise<CollectionRow | null>;
  listCollections(tenant: string): Promise<CollectionRow[]>;
  /** Removes the collection with its subjects and faces; false when it did not exist. */
  deleteCollection(id: string): Promise<boolean>;
  countSubjects(collectionId: string): Promise<number>;
  countFaces(collectionId: string): Promise<number>;

  /**
   * In one transaction: the subject (created if new; metadata replaced only when given), the face, and its
   * vector added to the collection's centroid. Returns the stored face, which is the earlier one (and the
   * centroid unchanged) when the id already existed. `crop` (an encoded aligned face) is stored with a new
   * face. With `guard`, nothing is written and 503 collection_switching is thrown when the collection has
   * moved to another generation or is being switched (the caller's vector belongs to another space).
   */
  addFace(face: FaceRow, metadata: Record<string, unknown> | undefined, vector: Float32Array, opts?: { crop?: Uint8Array | undefined; guard?: WriteGuard | undefined }): Promise<FaceRow>;
  /** The face's stored aligned crop; null when none was stored (or the face is gone). */
  getCrop(collectionId: string, faceId: string): Promise<Buffer | null>;
  /** The faces of these ids that exist, in the order asked: with listSubjects and facesOfSubjects, how exports and migrations walk a collection. */
  getFaces(collectionId: string, faceIds: string[]): Promise<FaceRow[]>;
  /** Null for an empty (or unknown) collection. */
  getCentroid(collectionId: string): Promise<Centroid | null>;
  getFace(collectionId: string, faceId: string): Promise<FaceRow | null>;
  /** The ids among `faceIds` the catalog knows, so vectors without an acknowledged enrollment never answer. */
  knownFaceIds(collectionId: string, faceIds: string[]): Promise<Set<string>>;
  /** `vector`, when known, leaves the centroid with the face (a retried delete may no longer have it); its crop goes too. `guard` as for addFace. */
  deleteFace(collectionId: string, faceId: string, vector: Float32Array | null, opts?: { guard?: WriteGuard | undefined }): Promise<boolean>;
  /** Each asked subject's face ids (subjects without faces are absent): the faces a template is built from. */
  facesOfSubjects(collectionId: string, subjectIds: string[]): Promise<Map<string, string[]>>;

  getSubject(collectionId: string, subjectId: string): Promise<SubjectRow | null>;
  /** Ordered by subject_id; `after` is exclusive. */
  listSubjects(collectionId: string, opts: { after?: string | undefined; limit: number }): Promise<SubjectRow[]>;
  listFaces(collectionId: string, subjectId: string): Promise<FaceRow[]>;
  /** `vectors`: the sum and count of its faces' vectors, which leave the centroid with them; crops go too. `guard` as for addFace. */
  deleteSubject(collectionId: string, subjectId: string, vectors: Centroid | null, opts?: { guard?: WriteGuard | undefined }): Promise<boolean>;

  // Imports (the gateway's services/transfer): a collection is loaded under a hidden name, then renamed into view.

  /** Gives collection `id` a new name; false when its tenant already has a collection of that name. */
  renameCollection(id: string, name: string): Promise<boolean>;
  /**
   * Bulk load into a collection nobody can see yet: subjects (created if new, metadata as given) and faces
   * with their crops, as given, without centroid arithmetic (setCentroid sets it once, exactly).
   */
  importRows(collectionId: string, rows: { subjects: ImportedSubject[]; faces: Array<{ face: FaceRow; crop?: Uint8Array | undefined }> }): Promise<void>;
  /**
   * The ids among `faceIds` a new collection could not hold because another collection already does: the
   * SQLite catalog keys faces by id alone, the Redis one per collection (where this is always empty).
   */
  faceIdsTaken(faceIds: string[]): Promise<Set<string>>;
  /** Replaces the running vector sum (null: none), bit for bit. */
  setCentroid(collectionId: string, centroid: Centroid | null): Promise<void>;

  // Migrations to another embedder (the gateway's services/migrations): records, the write fence and the atomic switch.

  /** Stores a new migration; false when another migration of the collection is active (running, ready or committing). */
  createMigration(rec: MigrationRecord): Promise<boolean>;
  getMigration(collectionId: string, id: string): Promise<MigrationRecord | null>;
  /** Newest first. */
  listMigrations(collectionId: string): Promise<MigrationRecord[]>;
  /** The collection's active migration, if any: what enrollments and deletes must also write to. */
  activeMigration(collectionId: string): Promise<MigrationRecord | null>;
  /** Every active migration of every collection: what a restarted service resumes. */
  activeMigrations(): Promise<MigrationRecord[]>;
  /** Replaces the record if its stored state is one of `expect`; false otherwise (another gateway moved it on). */
  updateMigration(rec: MigrationRecord, expect: readonly MigrationState[]): Promise<boolean>;
  /** Sets (or clears, with null) the collection's write fence if it currently is `expect`. */
  setFence(collectionId: string, fence: string | null, expect: string | null): Promise<boolean>;
  /**
   * The switch, in one transaction: the collection takes `rec.to` (embedder, dimension, generation), its
   * running vector sum becomes `centroid`, its fence clears, and the migration is stored as `rec`
   * (committed). Only when the collection is fenced by this migration and the stored record is committing;
   * false otherwise, changing nothing.
   */
  switchEmbedder(collectionId: string, rec: MigrationRecord, centroid: Centroid | null): Promise<boolean>;

  /** Why the catalog cannot be used right now (its Redis is unreachable), for /health; null when it can. */
  unreachable(): string | null;
  close(): Promise<void>;
}

export interface ImportedSubject {
  subjectId: string;
  metadata: Record<string, unknown> | null;
  createdAt: string;
}

/** Collection names the API can never produce: what an import in progress is created under. */
export const HIDDEN_NAME_PREFIX = '~';
