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
  /** Set by work the queue already accepted (a batch enrollment): never answered with 429. */
  admitted?: boolean | undefined;
}

export interface ExtractorStatus {
  ready: boolean;
  /** Why it is not ready (models loading, load error, queue unreachable), or 'ready'. */
  detail: string;
}

export interface FaceExtractor {
  readonly mode: 'embedded' | 'fleet';
  status(): Promise<ExtractorStatus>;
  extract(image: Uint8Array, opts: ExtractOptions): Promise<Extraction>;
}
