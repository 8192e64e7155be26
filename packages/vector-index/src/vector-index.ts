/**
 * The port every caller of 1:N search depends on. Two adapters implement it: the embedded one (SQLite as the
 * source of truth + an in-process usearch HNSW graph) and Qdrant. Nothing outside this package should know
 * which one is running; `createVectorIndex` is the only place that chooses.
 */

/** JSON-serialisable metadata stored with a face. `face_id` always equals the record id. */
export interface FacePayload {
  subject_id: string;
  face_id: string;
  [k: string]: unknown;
}

/** `id` is the face id (a uuid). Vectors are L2-normalised on write, so `get` returns the normalised form. */
export interface VectorRecord {
  id: string;
  vector: Float32Array;
  payload: FacePayload;
}

/** `score` is cosine similarity in [-1, 1]; higher is more similar. */
export interface SearchHit {
  id: string;
  score: number;
  payload: FacePayload;
}

export interface SearchOptions {
  topK: number;
  /** Only faces of this subject (1:1-ish verification against an enrolled person). */
  subjectId?: string;
  /** One hit per subject (its best face), so five photos of one person cannot crowd out the runner-up. */
  bestPerSubject?: boolean;
}

export interface CollectionInfo {
  name: string;
  dimension: number;
  count: number;
}

export interface VectorIndex {
  readonly kind: 'embedded' | 'qdrant';
  /** Idempotent for the same dimension; ConflictError when the collection exists with another one. */
  createCollection(name: string, spec: { dimension: number }): Promise<void>;
  /** False when there was nothing to drop. */
  dropCollection(name: string): Promise<boolean>;
  describeCollection(name: string): Promise<CollectionInfo | null>;
  /** Inserts or replaces by id. When the promise resolves the write is durable (survives a crash). */
  upsert(collection: string, records: VectorRecord[]): Promise<void>;
  /** Records that exist, in the order asked; missing ids are skipped. */
  get(collection: string, ids: string[]): Promise<VectorRecord[]>;
  /** Number of records actually removed. */
  delete(collection: string, ids: string[]): Promise<number>;
  deleteBySubject(collection: string, subjectId: string): Promise<number>;
  /** Best first. */
  search(collection: string, vector: Float32Array, opts: SearchOptions): Promise<SearchHit[]>;
  close(): Promise<void>;
}

/** HNSW graph parameters; names follow the papers (M, ef_construction, ef_search). */
export interface HnswSettings {
  /** Edges per node (usearch `connectivity`, Qdrant `m`). */
  m: number;
  /** Candidate list size while inserting (usearch `expansion_add`, Qdrant `ef_construct`). */
  efConstruct: number;
  /** Candidate list size while searching (usearch `expansion_search`, Qdrant `hnsw_ef`). */
  efSearch: number;
}

/**
 * Scalar quantization of the vectors held by the ANN structure. `int8` = usearch i8 / Qdrant scalar int8;
 * `rescore` re-ranks the over-fetched candidates with the exact float vectors.
 */
export interface QuantizationSettings {
  type: 'none' | 'int8';
  rescore: boolean;
}
