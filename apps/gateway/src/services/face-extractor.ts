/**
 * The gateway's port for "turn image bytes into faces". Embedded mode runs the pipeline in this process;
 * fleet mode sends the bytes through the job queue to a worker. Results are plain JSON so they can cross
 * a queue unchanged.
 */
export interface ExtractedFace {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  landmarks: Array<[number, number]>;
  quality: { passed: boolean; reasons: string[]; metrics: Record<string, number> };
  feature: number[];
}

export interface Extraction {
  model: { detector: string; embedder: string; dimension: number };
  width: number;
  height: number;
  face_count: number;
  /** Embedded faces, primary (largest, then most central) first. */
  faces: ExtractedFace[];
  timings_ms: Record<string, number>;
}

export interface ExtractOptions {
  faces: 'primary' | 'all';
  flipTta?: boolean | undefined;
}

export interface ExtractorStatus {
  ready: boolean;
  /** Why it is not ready: still loading, or the load error. */
  detail: string;
}

export interface FaceExtractor {
  readonly mode: 'embedded' | 'fleet';
  status(): ExtractorStatus;
  /** Resolves once ready to extract; rejects if it never will (e.g. a model failed to load). */
  ready(): Promise<void>;
  extract(image: Uint8Array, opts: ExtractOptions): Promise<Extraction>;
  close(): Promise<void>;
}
