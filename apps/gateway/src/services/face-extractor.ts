import type { Extraction, FaceSelection } from '@facerec/face';

export type { Extraction, ExtractedFace } from '@facerec/face';

/**
 * The gateway's port for "turn image bytes into faces". There is one implementation, over the job queue;
 * what varies is the queue adapter (in-process or BullMQ) and whether this process also runs a worker.
 */
export interface ExtractOptions {
  faces: 'primary' | 'all';
  /** Embed only this face (a client's choice out of a group photo). */
  select?: FaceSelection | undefined;
  flipTta?: boolean | undefined;
  /** Embed with this manifest embedder (a collection's own) instead of the workers' default. */
  embedder?: string | undefined;
  /** Return each face's aligned crop, encoded, in `faces[].crop`. */
  crops?: boolean | undefined;
  /** Run the passive liveness check on each face (`faces[].liveness`). */
  liveness?: boolean | undefined;
  /** Set by work the queue already accepted (a batch enrollment): never answered with 429. */
  admitted?: boolean | undefined;
}

export interface ExtractorStatus {
  ready: boolean;
  /** Why it is not ready (models loading, load error, queue unreachable), or 'ready'. */
  detail: string;
}

/** A stored aligned crop re-embedded (no detection): by a collection's next embedder, or an import's. */
export interface EmbeddedCrop {
  embedder: string;
  dimension: number;
  feature: number[];
}

export interface FaceExtractor {
  readonly mode: 'embedded' | 'fleet';
  status(): Promise<ExtractorStatus>;
  extract(image: Uint8Array, opts: ExtractOptions): Promise<Extraction>;
  /** `crop`: an encoded 112x112 aligned face, as stored with enrolled faces. */
  embedCrop(crop: Uint8Array, opts: { embedder?: string | undefined; admitted?: boolean | undefined }): Promise<EmbeddedCrop>;
}
