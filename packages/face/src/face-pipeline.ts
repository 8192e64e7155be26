import { join } from 'node:path';
import { InternalError, isFaceRecError } from '@facerec/errors';
import { findModel, type DetectorEntry, type EmbedderEntry, type ModelManifest } from '@facerec/models';
import { alignFace } from './align-face.ts';
import { decodeImage } from './decode-image.ts';
import { Embedder } from './embedder.ts';
import { pickPrimaryFace } from './pick-primary-face.ts';
import { assessQuality, type FaceQuality, type QualityReason } from './quality.ts';
import { YunetDetector } from './yunet-detector.ts';
import type { PipelineOptions } from './options.ts';
import type { Box, Point, RgbImage } from './types.ts';

export interface CreatePipelineArgs extends PipelineOptions {
  manifest: ModelManifest;
  modelsDir: string;
}

export interface AnalyzedFace {
  /** Original-image pixels (after EXIF orientation). */
  box: Box;
  score: number;
  /** 5 points in original pixels, ArcFace order. */
  landmarks: Array<[number, number]>;
  /** L2-normalised. */
  embedding: Float32Array;
  quality: FaceQuality;
}

export interface StageTimings {
  decode: number;
  detect: number;
  align: number;
  embed: number;
  quality: number;
}

export interface ImageAnalysis {
  /** After EXIF orientation. */
  width: number;
  height: number;
  format: string;
  /** Every detected face, embedded or not. */
  faceCount: number;
  /** Embedded faces, primary first. */
  faces: AnalyzedFace[];
  /** Milliseconds per stage. */
  timings: StageTimings;
}

export interface AnalyzeOptions {
  faces?: 'all' | 'primary';
  flipTta?: boolean;
}

export interface FacePipeline {
  readonly detector: DetectorEntry;
  readonly embedder: EmbedderEntry;
  readonly dimension: number;
  /** Decode, detect; embed+quality for either every face ('all') or just the primary one ('primary'). */
  analyze(image: Uint8Array, opts?: AnalyzeOptions): Promise<ImageAnalysis>;
  close(): Promise<void>;
}

/** Loads both models once; the returned pipeline reuses their sessions for every call. */
export async function createFacePipeline(args: CreatePipelineArgs): Promise<FacePipeline> {
  const detectorEntry = findModel(args.manifest, args.detector, 'detect');
  const embedderEntry = findModel(args.manifest, args.embedder, 'embed');
  const session = { threads: args.threads, providers: args.providers };
  const [detector, embedder] = await Promise.all([
    YunetDetector.create(detectorEntry, join(args.modelsDir, detectorEntry.file), session),
    Embedder.create(embedderEntry, join(args.modelsDir, embedderEntry.file), session),
  ]);
  return new DefaultFacePipeline(args, detector, embedder);
}

class DefaultFacePipeline implements FacePipeline {
  readonly detector: DetectorEntry;
  readonly embedder: EmbedderEntry;
  readonly dimension: number;
  private closed = false;
  private readonly opts: PipelineOptions;
  private readonly det: YunetDetector;
  private readonly emb: Embedder;

  constructor(opts: PipelineOptions, det: YunetDetector, emb: Embedder) {
    this.opts = opts;
    this.det = det;
    this.emb = emb;
    this.detector = det.entry;
    this.embedder = emb.entry;
    this.dimension = emb.dimension;
  }

  async analyze(bytes: Uint8Array, aopts: AnalyzeOptions = {}): Promise<ImageAnalysis> {
    if (this.closed) throw new InternalError('Face pipeline is closed');
    try {
      return await this.analyzeUnsafe(bytes, aopts);
    } catch (err) {
      if (isFaceRecError(err)) throw err;
      throw new InternalError('Face analysis failed', { cause: err });
    }
  }

  private async analyzeUnsafe(bytes: Uint8Array, aopts: AnalyzeOptions): Promise<ImageAnalysis> {
    const o = this.opts;
    const timings: StageTimings = { decode: 0, detect: 0, align: 0, embed: 0, quality: 0 };
    let t = performance.now();
    const lap = (stage: keyof StageTimings): void => {
      const now = performance.now();
      timings[stage] += now - t;
      t = now;
    };

    const image = await decodeImage(bytes, { maxImagePixels: o.maxImagePixels });
    lap('decode');
    const dets = await this.det.detect(image, { detectSize: o.detectSize, detectScore: o.detectScore, nmsIou: o.nmsIou });
    const primary = pickPrimaryFace(dets, image.width, image.height);
    const ordered = primary < 0 ? [] : [dets[primary]!, ...dets.filter((_, i) => i !== primary)];
    const detectOpts = { detectSize: o.detectSize, detectScore: o.detectScore, nmsIou: o.nmsIou };
    const chosen = await Promise.all(
      (aopts.faces === 'all' ? ordered : ordered.slice(0, 1)).map((d) => this.det.refine(image, d, detectOpts)),
    );
    lap('detect');

    const crops: RgbImage[] = chosen.map((d) => alignFace(image, d.landmarks));
    lap('align');
    const embeddings = await this.emb.embed(crops, { flipTta: aopts.flipTta ?? o.flipTta });
    lap('embed');

    const faces: AnalyzedFace[] = chosen.map((d, i) => {
      const extra: QualityReason[] = i === 0 && dets.length > 1 ? ['multiple_faces'] : [];
      return {
        box: d.box,
        score: d.score,
        landmarks: d.landmarks.map((p): [number, number] => [p[0], p[1]] as Point),
        embedding: embeddings[i]!,
        quality: assessQuality(crops[i]!, d.landmarks, d.score, o.quality, extra),
      };
    });
    lap('quality');
    return { width: image.width, height: image.height, format: image.format, faceCount: dets.length, faces, timings };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.det.close(), this.emb.close()]);
  }
}
