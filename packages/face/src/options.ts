/** Quality gate thresholds; structurally the same as `Config['pipeline']['quality']`. */
export interface QualityOptions {
  minEyeDistance: number;
  minDetScore: number;
  minSharpness: number;
  minBrightness: number;
  maxBrightness: number;
  minContrast: number;
  maxYaw: number;
  maxRoll: number;
}

/** Everything the pipeline needs to know; `Config['pipeline']` can be passed as is. */
export interface PipelineOptions {
  detector: string;
  embedder: string;
  /** Long side the image is scaled to before detection (never upscaled), then padded to a multiple of 32. */
  detectSize: number;
  detectScore: number;
  nmsIou: number;
  /** Decompression-bomb guard, checked against the header before any pixel is decoded. */
  maxImagePixels: number;
  flipTta: boolean;
  /** ORT intra-op threads; 0 lets ORT decide. */
  threads: number;
  /** Requested ORT execution providers, in order; those not usable here are dropped (see resolveProviders). */
  providers: string[];
  /** Faces gathered across concurrent analyze calls into one embedder run; 1 turns micro-batching off. */
  embedBatchMax: number;
  /** Longest the first face of a micro-batch waits for more. */
  embedBatchWaitMs: number;
  /**
   * Detector passes of concurrent analyze calls run as batches, full-image passes letterboxed to one
   * detectSize x detectSize canvas: `auto` (the default) on a GPU provider only, `on` everywhere, `off` never.
   */
  detectBatch?: 'auto' | 'on' | 'off' | undefined;
  /** Same-shape detector passes per run at most (default 8). */
  detectBatchMax?: number | undefined;
  /** Longest the first pass of a batch waits for more (default 2 ms). */
  detectBatchWaitMs?: number | undefined;
  /**
   * Run the ORT sessions on a thread of their own, so decoding, tensor building and alignment overlap inference
   * instead of queueing behind it (ORT runs synchronously on its calling thread). Same numbers either way.
   */
  inferenceThread: boolean;
  quality: QualityOptions;
}

/** ORT session knobs shared by the detector and the embedder. */
export interface SessionOptions {
  threads: number;
  providers: string[];
}
