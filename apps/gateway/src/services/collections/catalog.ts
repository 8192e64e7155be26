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
  createCollection(row: CollectionRow): Promise<boolean>;
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
   * centroid unchanged) when the id already existed.
   */
  addFace(face: FaceRow, metadata: Record<string, unknown> | undefined, vector: Float32Array): Promise<FaceRow>;
  /** Null for an empty (or unknown) collection. */
  getCentroid(collectionId: string): Promise<Centroid | null>;
  getFace(collectionId: string, faceId: string): Promise<FaceRow | null>;
  /** The ids among `faceIds` the catalog knows, so vectors without an acknowledged enrollment never answer. */
  knownFaceIds(collectionId: string, faceIds: string[]): Promise<Set<string>>;
  /** `vector`, when known, leaves the centroid with the face (a retried delete may no longer have it). */
  deleteFace(collectionId: string, faceId: string, vector: Float32Array | null): Promise<boolean>;
  /** Each asked subject's face ids (subjects without faces are absent): the faces a template is built from. */
  facesOfSubjects(collectionId: string, subjectIds: string[]): Promise<Map<string, string[]>>;

  getSubject(collectionId: string, subjectId: string): Promise<SubjectRow | null>;
  /** Ordered by subject_id; `after` is exclusive. */
  listSubjects(collectionId: string, opts: { after?: string | undefined; limit: number }): Promise<SubjectRow[]>;
  listFaces(collectionId: string, subjectId: string): Promise<FaceRow[]>;
  /** `vectors`: the sum and count of its faces' vectors, which leave the centroid with them. */
  deleteSubject(collectionId: string, subjectId: string, vectors: Centroid | null): Promise<boolean>;

  /** Why the catalog cannot be used right now (its Redis is unreachable), for /health; null when it can. */
  unreachable(): string | null;
  close(): Promise<void>;
}
