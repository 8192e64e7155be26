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
  threshold: number;
  targetFar: string | null;
  createdAt: string;
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
   * In one transaction: the subject (created if new; metadata replaced only when given) and the face.
   * Returns the stored face, which is the earlier one when the id already existed.
   */
  addFace(face: FaceRow, metadata: Record<string, unknown> | undefined): Promise<FaceRow>;
  getFace(collectionId: string, faceId: string): Promise<FaceRow | null>;
  /** The ids among `faceIds` the catalog knows, so vectors without an acknowledged enrollment never answer. */
  knownFaceIds(collectionId: string, faceIds: string[]): Promise<Set<string>>;
  deleteFace(collectionId: string, faceId: string): Promise<boolean>;

  getSubject(collectionId: string, subjectId: string): Promise<SubjectRow | null>;
  /** Ordered by subject_id; `after` is exclusive. */
  listSubjects(collectionId: string, opts: { after?: string | undefined; limit: number }): Promise<SubjectRow[]>;
  listFaces(collectionId: string, subjectId: string): Promise<FaceRow[]>;
  deleteSubject(collectionId: string, subjectId: string): Promise<boolean>;

  /** Why the catalog cannot be used right now (its Redis is unreachable), for /health; null when it can. */
  unreachable(): string | null;
  close(): Promise<void>;
}
