import type { LivenessEntry } from '@facerec/models';
import { decodeRegion } from '../decode-image.ts';
import type { SessionOptions } from '../options.ts';
import { createSession, ort } from '../ort-session.ts';
import type { Box } from '../types.ts';
import { livenessCropBounds, livenessTensor, softmaxAt } from './liveness-crop.ts';

/** What a face's liveness check reports. `passed` is `score >= threshold`. */
export interface LivenessResult {
  score: number;
  passed: boolean;
  model: string;
}

/**
 * A passive, single-frame presentation-attack check (MiniFASNet-style): one image of the face with context
 * in, the probability that it shows a live person out. Its input comes from the original photo at full
 * resolution, not from the detector's downscaled copy: the model was trained on crops cut from the camera
 * frame and resized once, and print and screen textures are what it looks at.
 */
export class LivenessChecker {
  readonly entry: LivenessEntry;
  readonly threshold: number;
  private readonly session: ort.InferenceSession;
  private readonly outputName: string;
  private readonly side: number;

  private constructor(entry: LivenessEntry, threshold: number, session: ort.InferenceSession) {
    this.entry = entry;
    this.threshold = threshold;
    this.session = session;
    const name = session.outputNames[0];
    if (!name) throw new Error(`Liveness model ${entry.id} has no outputs`);
    this.outputName = name;
    this.side = Array.isArray(entry.input.size) ? entry.input.size[0] : 80;
  }

  static async create(entry: LivenessEntry, modelPath: string, threshold: number, opts: SessionOptions): Promise<LivenessChecker> {
    // This export lists its initializers as graph inputs, which ORT warns about on every load: harmless, so quiet.
    return new LivenessChecker(entry, threshold, await createSession(modelPath, opts, { logSeverityLevel: 3 }));
  }

  /** `box` in source pixels (after EXIF orientation) of the image `bytes`, which is `width` x `height`. */
  async check(bytes: Uint8Array, width: number, height: number, box: Box): Promise<LivenessResult> {
    const b = livenessCropBounds(box, width, height, this.entry.crop_scale);
    const region = await decodeRegion(bytes, width, height, { left: b.left, top: b.top, width: b.right - b.left + 1, height: b.bottom - b.top + 1, scale: 1 });
    const { color, mean, std, name } = this.entry.input;
    const input = new ort.Tensor('float32', livenessTensor(region, this.side, color, mean, std), [1, 3, this.side, this.side]);
    const out = (await this.session.run({ [name]: input }))[this.outputName];
    if (!out) throw new Error(`Liveness model ${this.entry.id}: output ${this.outputName} missing`);
    const score = softmaxAt(out.data as Float32Array, this.entry.live_class);
    return { score, passed: score >= this.threshold, model: this.entry.id };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
