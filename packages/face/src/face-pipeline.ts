import { join } from 'node:path';
import { InternalError, isFaceRecError, ServiceUnavailableError, UnprocessableError, ValidationError } from '@facerec/errors';
import { findModel, ModelUnavailableError, prepareModel, type DetectorEntry, type EmbedderEntry, type LivenessEntry, type ModelManifest } from '@facerec/models';
import { ALIGNED_SIZE, alignFace } from './align-face.ts';
import { decodeImage, decodeRegion, type DecodedImage, type RegionImage } from './decode-image.ts';
import { type DetectCall, DetectBatcher, type DetectBatchStats } from './detect-batcher.ts';
import { EmbedBatcher, type EmbedBatchStats } from './embed-batcher.ts';
import { Embedder } from './embedder.ts';
import { LivenessChecker, type LivenessResult } from './liveness/liveness-checker.ts';
import { openSession, type SessionOpener } from './ort-session.ts';
import { InferenceThread } from './thread/inference-thread.ts';
import { iou } from './nms.ts';
import { assessQuality, type FaceQuality, type QualityReason } from './quality.ts';
import { rankFaces } from './rank-faces.ts';
import { refineSourceScale, YunetDetector } from './yunet-detector.ts';
import type { PipelineOptions, SessionOptions } from './options.ts';
import type { Box, Detection, Point, RgbImage } from './types.ts';

/** The passive liveness check: which manifest model, and the score below which a face counts as an attack. */
export interface LivenessOptions {
  model: string;
  /** Overrides the manifest's measured threshold. */
  threshold?: number | undefined;
  /** Load the session with the others instead of on the first request that asks for a check. */
  preload?: boolean | undefined;
}

export interface CreatePipelineArgs extends PipelineOptions {
  manifest: ModelManifest;
  modelsDir: string;
  /** Absent: no liveness model is configured, and asking for a check is an error. */
  liveness?: LivenessOptions | undefined;
  /** With `inferenceThread`: told when that thread dies (the pipeline can no longer run its models). */
  onInferenceThreadExit?: () => void;
}

export interface AnalyzedFace {
  /** Its position in `ImageAnalysis.detections` (0 = the primary face). */
  index: number;
  /** Original-image pixels (after EXIF orientation). */
  box: Box;
  score: number;
  /** 5 points in original pixels, ArcFace order. */
  landmarks: Array<[number, number]>;
  /** L2-normalised. */
  embedding: Float32Array;
  quality: FaceQuality;
  /** The aligned 112x112 face the embedder saw, when asked for (`crops: true`). */
  crop?: RgbImage;
  /** The passive liveness check, when asked for (`liveness: true`). */
  liveness?: LivenessResult;
}

export interface StageTimings {
  decode: number;
  detect: number;
  align: number;
  /** Includes the wait for a micro-batch (see EmbedBatcher). */
  embed: number;
  quality: number;
  liveness: number;
}

export interface ImageAnalysis {
  /** After EXIF orientation. */
  width: number;
  height: number;
  format: string;
  /** Every detected face, embedded or not. */
  faceCount: number;
  /** Every detected face, most prominent (size, then nearness to the centre) first. */
  detections: FaceDetection[];
  /** Whether the primary face clearly dominates the others (true for a single face; see rankFaces). */
  dominant: boolean;
  /** Embedded faces, in detection order. */
  faces: AnalyzedFace[];
  /** The embedder that made `faces[].embedding` (the pipeline's own unless the call named another). */
  embedder: string;
  dimension: number;
  /** Milliseconds per stage. */
  timings: StageTimings;
}

/** A detected face before embedding, in original-image pixels. */
export interface FaceDetection {
  box: Box;
  score: number;
}

/** Picks one face to embed: by its index in the detections, or the detection that best overlaps a box. */
export type FaceSelection = { index: number } | { box: Box };

/** A box must overlap a detection at least this much (IoU) to name it. */
const SELECT_MIN_IOU = 0.3;

/** Detector passes of the same shape run as one batch at most this many at a time (DETECT_BATCH_MAX's default). */
export const DEFAULT_DETECT_BATCH_MAX = 8;

/**
 * Whether detector passes run as batches. auto: where each run has a fixed cost worth sharing (a GPU provider),
 * not on the CPU, where a batch of letterboxed inputs only adds border pixels to compute.
 */
export function detectBatching(mode: PipelineOptions['detectBatch'], providers: readonly string[]): boolean {
  return mode === 'on' || ((mode ?? 'auto') === 'auto' && providers[0] !== 'cpu');
}

/** What the detection stage of one analyze call found. */
interface FoundFaces {
  image: DecodedImage;
  /** Every detection, in source pixels, in the detector's order. */
  dets: Detection[];
  ranking: ReturnType<typeof rankFaces>;
  /** `dets` most prominent first. */
  ordered: Detection[];
  /** Indices into `ordered` of the faces to embed, with their detections, views and refined landmarks. */
  indices: number[];
  targets: Detection[];
  views: RegionImage[];
  chosen: { view: Detection; source: Detection }[];
}

export interface AnalyzeOptions {
  faces?: 'all' | 'primary';
  /** Embed only this face (overrides `faces`): how a client picks one person out of a group photo. */
  select?: FaceSelection;
  flipTta?: boolean;
  /** Also return each embedded face's aligned crop (stored for review and for re-embedding with another model). */
  crops?: boolean;
  /** Embed with this manifest embedder instead of the pipeline's own (loaded on first use): a collection pinned to another model. */
  embedder?: string;
  /** Run the passive liveness check on each embedded face (its session is created on the first such call). */
  liveness?: boolean;
}

export interface EmbedCropsOptions {
  /** A manifest embedder id; the pipeline's own when absent. */
  embedder?: string | undefined;
  flipTta?: boolean | undefined;
}

export interface PipelineStats {
  /** Embedder micro-batching, summed over every pipeline thread. */
  embed: EmbedBatchStats;
  /** Detector batching (zero runs when it is off), summed over every pipeline thread. */
  detect: DetectBatchStats;
}

export interface FacePipeline {
  readonly detector: DetectorEntry;
  readonly embedder: EmbedderEntry;
  readonly dimension: number;
  /** ORT execution providers the sessions actually run on, in order ('cpu' last). */
  readonly providers: string[];
  /** Requested providers that could not start on this machine, each with ORT's reason (empty when none failed). */
  readonly providerFallbacks: string[];
  /** Decode, detect; embed+quality for either every face ('all') or just the primary one ('primary'). */
  analyze(image: Uint8Array, opts?: AnalyzeOptions): Promise<ImageAnalysis>;
  /**
   * Embeds aligned 112x112 crops (stored ones, re-embedded with another model) without detection.
   * Returns the embedder that ran, L2-normalised vectors in order.
   */
  embedCrops(crops: readonly RgbImage[], opts?: EmbedCropsOptions): Promise<{ embedder: string; dimension: number; vectors: Float32Array[] }>;
  stats(): Promise<PipelineStats>;
  close(): Promise<void>;
}

/** Loads both models once; the returned pipeline reuses their sessions for every call. */
export async function createFacePipeline(args: CreatePipelineArgs): Promise<FacePipeline> {
  const detectorEntry = findModel(args.manifest, args.detector, 'detect');
  const embedderEntry = findModel(args.manifest, args.embedder, 'embed');
  // The embedder first: it finds which requested providers really start here, and the detector then uses just
  // those, so an unusable GPU provider is tried (and reported) once rather than per session.
  const inference = args.inferenceThread ? new InferenceThread(args.onInferenceThreadExit) : undefined;
  const open = inference?.open ?? openSession;
  let embedder: Embedder | undefined;
  let pipeline: DefaultFacePipeline;
  try {
    embedder = await Embedder.create(embedderEntry, join(args.modelsDir, embedderEntry.file), { threads: args.threads, providers: args.providers }, open);
    const detector = await YunetDetector.create(detectorEntry, join(args.modelsDir, detectorEntry.file), { threads: args.threads, providers: embedder.providers }, open);
    pipeline = new DefaultFacePipeline(args, embedder.providers, embedder.fallbacks, detector, embedder, open, inference);
  } catch (err) {
    await embedder?.close();
    await inference?.close();
    throw err;
  }
  if (args.liveness?.preload) await pipeline.livenessChecker();
  return pipeline;
}

/** An embedder and the micro-batcher in front of it; one per embedder id this pipeline has been asked for. */
interface EmbedSlot {
  emb: Embedder;
  batcher: EmbedBatcher;
}

class DefaultFacePipeline implements FacePipeline {
  readonly detector: DetectorEntry;
  readonly embedder: EmbedderEntry;
  readonly dimension: number;
  readonly providers: string[];
  readonly providerFallbacks: string[];
  private closed = false;
  private readonly args: CreatePipelineArgs;
  private readonly session: SessionOptions;
  private readonly det: YunetDetector;
  /** Set when detector passes of concurrent calls run as batches (DETECT_BATCH). */
  private readonly detectBatcher: DetectBatcher | undefined;
  private readonly slots = new Map<string, Promise<EmbedSlot>>();
  private live: Promise<LivenessChecker> | undefined;
  private readonly inference: InferenceThread | undefined;
  private readonly open: SessionOpener;

  constructor(args: CreatePipelineArgs, providers: string[], fallbacks: string[], det: YunetDetector, emb: Embedder, open: SessionOpener, inference?: InferenceThread) {
    this.args = args;
    // Embedders loaded later (a collection's own, a migration's) use the providers that started here.
    this.session = { threads: args.threads, providers };
    this.providers = providers;
    this.providerFallbacks = fallbacks;
    this.open = open;
    this.inference = inference;
    this.det = det;
    const maxBatch = args.detectBatchMax ?? DEFAULT_DETECT_BATCH_MAX;
    this.detectBatcher = detectBatching(args.detectBatch, providers) && maxBatch > 1 ? new DetectBatcher((inputs) => det.runMany(inputs), { maxBatch, maxWaitMs: args.detectBatchWaitMs ?? 2 }) : undefined;
    this.slots.set(emb.entry.id, Promise.resolve(this.slotFor(emb)));
    this.detector = det.entry;
    this.embedder = emb.entry;
    this.dimension = emb.dimension;
  }

  private slotFor(emb: Embedder): EmbedSlot {
    return { emb, batcher: new EmbedBatcher(emb, { maxBatch: this.args.embedBatchMax, maxWaitMs: this.args.embedBatchWaitMs }) };
  }

  /**
   * The embedder `id` names (the pipeline's own when absent), created on first use from the manifest after
   * checking its file's sha256: how a worker serves collections pinned to, or migrating to, another model.
   */
  private slot(id: string | undefined): Promise<EmbedSlot> {
    const key = id ?? this.embedder.id;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = this.loadEmbedder(key);
      this.slots.set(key, slot);
      // A failed load is not cached: the file may be put in place later.
      slot.catch(() => this.slots.delete(key));
    }
    return slot;
  }

  private async loadEmbedder(id: string): Promise<EmbedSlot> {
    const entry = this.args.manifest.models.find((m) => m.id === id);
    if (!entry || entry.task !== 'embed') throw new ValidationError(`Unknown embedder "${id}": it is not an embed model of the manifest`, 'unknown_embedder', { embedder: id });
    await this.verified(entry);
    return this.slotFor(await Embedder.create(entry, join(this.args.modelsDir, entry.file), this.session, this.open));
  }

  /** The file must be in MODELS_DIR with the manifest's hash (npm install's models:prepare puts every model there). */
  private async verified(entry: EmbedderEntry | LivenessEntry): Promise<void> {
    try {
      await prepareModel(entry, { modelsDir: this.args.modelsDir });
    } catch (err) {
      if (err instanceof ModelUnavailableError) throw new ServiceUnavailableError(err.message, 'model_unavailable', { model: entry.id });
      throw err;
    }
  }

  /** The liveness session, created on the first call that asks for a check (never, on the default path). */
  livenessChecker(): Promise<LivenessChecker> {
    if (!this.live) {
      const opts = this.args.liveness;
      this.live = (async () => {
        if (!opts) throw new ServiceUnavailableError('No liveness model is configured on this worker', 'liveness_unavailable');
        const entry = this.args.manifest.models.find((m) => m.id === opts.model);
        if (!entry || entry.task !== 'liveness') throw new ServiceUnavailableError(`Liveness model "${opts.model}" is not a liveness model of the manifest (LIVENESS_MODEL)`, 'liveness_unavailable');
        const threshold = opts.threshold ?? entry.threshold?.value;
        if (threshold === undefined) {
          throw new ServiceUnavailableError(`Liveness model "${entry.id}" has no measured threshold: set LIVENESS_THRESHOLD or run \`npm run bench:liveness -- --write\``, 'liveness_unavailable');
        }
        await this.verified(entry);
        return LivenessChecker.create(entry, join(this.args.modelsDir, entry.file), threshold, this.session);
      })();
      this.live.catch(() => {
        this.live = undefined;
      });
    }
    return this.live;
  }

  async analyze(bytes: Uint8Array, aopts: AnalyzeOptions = {}): Promise<ImageAnalysis> {
    if (this.closed) throw new InternalError('Face pipeline is closed');
    const slot = await this.slot(aopts.embedder);
    slot.batcher.enter();
    try {
      return await this.analyzeUnsafe(bytes, aopts, slot);
    } catch (err) {
      if (isFaceRecError(err)) throw err;
      throw new InternalError('Face analysis failed', { cause: err });
    } finally {
      slot.batcher.leave();
    }
  }

  async embedCrops(crops: readonly RgbImage[], opts: EmbedCropsOptions = {}): Promise<{ embedder: string; dimension: number; vectors: Float32Array[] }> {
    if (this.closed) throw new InternalError('Face pipeline is closed');
    const slot = await this.slot(opts.embedder);
    for (const c of crops) {
      if (c.width !== ALIGNED_SIZE || c.height !== ALIGNED_SIZE || c.data.length !== ALIGNED_SIZE * ALIGNED_SIZE * 3) {
        throw new ValidationError(`An aligned crop must be ${ALIGNED_SIZE}x${ALIGNED_SIZE} RGB; got ${c.width}x${c.height}`, 'invalid_crop');
      }
    }
    slot.batcher.enter();
    try {
      const vectors = await slot.batcher.embed(crops, opts.flipTta ?? this.args.flipTta);
      return { embedder: slot.emb.entry.id, dimension: slot.emb.dimension, vectors };
    } catch (err) {
      if (isFaceRecError(err)) throw err;
      throw new InternalError('Embedding failed', { cause: err });
    } finally {
      slot.batcher.leave();
    }
  }

  async stats(): Promise<PipelineStats> {
    const slots = await Promise.allSettled(this.slots.values());
    const all = slots.flatMap((s) => (s.status === 'fulfilled' ? [s.value.batcher.stats()] : []));
    return {
      embed: {
        runs: all.reduce((n, s) => n + s.runs, 0),
        faces: all.reduce((n, s) => n + s.faces, 0),
        largestBatch: Math.max(0, ...all.map((s) => s.largestBatch)),
      },
      detect: this.detectBatcher?.stats() ?? { runs: 0, images: 0, largestBatch: 0 },
    };
  }

  /** Decode, the first detector pass, and the refinement pass of each face to embed (through `via` when batching). */
  private async findFaces(bytes: Uint8Array, aopts: AnalyzeOptions, lap: (stage: keyof StageTimings) => void, via: DetectCall | undefined): Promise<FoundFaces> {
    const o = this.args;
    // Detection only needs detectSize pixels: shrink-on-load skips most of a large JPEG's decode.
    const image = await decodeImage(bytes, { maxImagePixels: o.maxImagePixels, maxSide: o.detectSize });
    lap('decode');
    const detectOpts = { detectSize: o.detectSize, detectScore: o.detectScore, nmsIou: o.nmsIou, letterbox: via !== undefined };
    const dets = (await this.det.detect(image, detectOpts, via)).map((d) => mapDetection(d, 1 / image.scale, 0, 0));
    const ranking = rankFaces(dets, image.sourceWidth, image.sourceHeight);
    const ordered = ranking.order.map((i) => dets[i]!);
    const indices = aopts.select ? [selectFace(ordered, aopts.select)] : aopts.faces === 'all' ? ordered.map((_, i) => i) : ordered.length ? [0] : [];
    const targets = indices.map((i) => ordered[i]!);
    const views = await Promise.all(targets.map((d) => faceView(bytes, image, d)));
    lap('decode');
    const chosen = await Promise.all(
      targets.map(async (d, i) => {
        const v = views[i]!;
        const refined = await this.det.refine(v, mapDetection(d, v.scale, -v.offsetX, -v.offsetY), detectOpts, via);
        return { view: refined, source: { ...mapDetection(refined, 1 / v.scale, v.offsetX / v.scale, v.offsetY / v.scale), box: d.box } };
      }),
    );
    lap('detect');
    return { image, dets, ranking, ordered, indices, targets, views, chosen };
  }

  private async analyzeUnsafe(bytes: Uint8Array, aopts: AnalyzeOptions, slot: EmbedSlot): Promise<ImageAnalysis> {
    const o = this.args;
    const timings: StageTimings = { decode: 0, detect: 0, align: 0, embed: 0, quality: 0, liveness: 0 };
    let t = performance.now();
    const lap = (stage: keyof StageTimings): void => {
      const now = performance.now();
      timings[stage] += now - t;
      t = now;
    };

    // Counted from the start, so a batch of detector passes can wait (briefly) for this call's decode.
    const via = this.detectBatcher?.call();
    let found: FoundFaces;
    try {
      found = await this.findFaces(bytes, aopts, lap, via);
    } finally {
      via?.done();
    }
    const { image, dets, ranking, ordered, indices, targets, views, chosen } = found;

    const crops: RgbImage[] = chosen.map((c, i) => alignFace(views[i]!, c.view.landmarks));
    lap('align');
    const embeddings = await slot.batcher.embed(crops, aopts.flipTta ?? o.flipTta);
    lap('embed');

    const faces: AnalyzedFace[] = chosen.map(({ source: d }, i) => {
      const extra: QualityReason[] = indices[i] === 0 && dets.length > 1 ? ['multiple_faces'] : [];
      return {
        index: indices[i]!,
        box: d.box,
        score: d.score,
        landmarks: d.landmarks.map((p): [number, number] => [p[0], p[1]] as Point),
        embedding: embeddings[i]!,
        quality: assessQuality(crops[i]!, d.landmarks, d.score, o.quality, extra),
        ...(aopts.crops ? { crop: crops[i]! } : {}),
      };
    });
    lap('quality');
    if (aopts.liveness && faces.length > 0) {
      const checker = await this.livenessChecker();
      // The detector's own box: the crop geometry the liveness model was trained with comes from a face detector's box.
      for (let i = 0; i < faces.length; i++) faces[i]!.liveness = await checker.check(bytes, image.sourceWidth, image.sourceHeight, targets[i]!.box);
      lap('liveness');
    }
    const detections = ordered.map((d) => ({ box: d.box, score: d.score }));
    return {
      width: image.sourceWidth,
      height: image.sourceHeight,
      format: image.format,
      faceCount: dets.length,
      detections,
      dominant: ranking.dominant,
      faces,
      embedder: slot.emb.entry.id,
      dimension: slot.emb.dimension,
      timings,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const slots = await Promise.allSettled(this.slots.values());
    const live = this.live ? await this.live.catch(() => undefined) : undefined;
    await Promise.all([
      this.det.close(),
      ...slots.flatMap((s) => (s.status === 'fulfilled' ? [s.value.emb.close()] : [])),
      ...(live ? [live.close()] : []),
    ]);
    await this.inference?.close();
  }
}

/** The index in `ordered` that `select` names; 422 naming every detected face when it names none. */
function selectFace(ordered: readonly Detection[], select: FaceSelection): number {
  const faces = ordered.map((d, index) => ({ index, box: roundBox(d.box), score: Number(d.score.toFixed(4)) }));
  if ('index' in select) {
    if (Number.isInteger(select.index) && select.index >= 0 && select.index < ordered.length) return select.index;
    throw new UnprocessableError(`face_index ${select.index} names no face: the image holds ${ordered.length}`, 'face_not_found', { face_count: ordered.length, faces });
  }
  let best = -1;
  let bestIou = SELECT_MIN_IOU;
  ordered.forEach((d, i) => {
    const overlap = iou(d.box, select.box);
    if (overlap >= bestIou) {
      best = i;
      bestIou = overlap;
    }
  });
  if (best < 0) throw new UnprocessableError(`face_box overlaps no detected face (IoU >= ${SELECT_MIN_IOU})`, 'face_not_found', { face_count: ordered.length, faces });
  return best;
}

const roundBox = (b: Box): Box => ({ x: Math.round(b.x * 10) / 10, y: Math.round(b.y * 10) / 10, width: Math.round(b.width * 10) / 10, height: Math.round(b.height * 10) / 10 });

/** `d` with every coordinate mapped by p * scale + offset. */
function mapDetection(d: Detection, scale: number, offsetX: number, offsetY: number): Detection {
  if (scale === 1 && offsetX === 0 && offsetY === 0) return d;
  return {
    score: d.score,
    box: { x: d.box.x * scale + offsetX, y: d.box.y * scale + offsetY, width: d.box.width * scale, height: d.box.height * scale },
    landmarks: d.landmarks.map(([x, y]): Point => [x * scale + offsetX, y * scale + offsetY]),
  };
}

/** Twice the face box: covers the refine pass's context and the ArcFace template's forehead and chin. */
const VIEW_CONTEXT = 2;

/**
 * Pixels for refining and aligning one face (source box `d`): the detection image when it already shows
 * the face at the refine pass's resolution, otherwise just the region around the face decoded at that
 * resolution (never above full size), so small faces in large photos keep their detail.
 */
async function faceView(bytes: Uint8Array, image: DecodedImage, d: Detection): Promise<RegionImage> {
  const want = refineSourceScale(d.box);
  if (image.scale >= 1 || want <= image.scale) return { data: image.data, width: image.width, height: image.height, scale: image.scale, offsetX: 0, offsetY: 0 };
  const side = VIEW_CONTEXT * Math.max(d.box.width, d.box.height);
  const cx = d.box.x + d.box.width / 2;
  const cy = d.box.y + d.box.height / 2;
  return decodeRegion(bytes, image.sourceWidth, image.sourceHeight, { left: cx - side / 2, top: cy - side / 2, width: side, height: side, scale: want });
}
