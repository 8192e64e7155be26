import sharp from 'sharp';
import type { DetectorEntry } from '@facerec/models';
import { decodeYunet, type YunetOutputs } from './yunet-decode.ts';
import { iou, nms } from './nms.ts';
import { openSession, ort, type ModelSession, type SessionOpener } from './ort-session.ts';
import { SpareTensors } from './spare-tensors.ts';
import type { SessionOptions } from './options.ts';
import type { Detection, Point, RgbImage } from './types.ts';

export interface DetectOptions {
  detectSize: number;
  detectScore: number;
  nmsIou: number;
  /**
   * Lay every full-image pass out on one of four square canvases up to detectSize x detectSize (and refinements
   * on at least the refine canvas) instead of the image's own size rounded to 32, so passes of different photos
   * share a shape and can run as one batch. The image keeps its scale; only the grey border grows.
   */
  letterbox?: boolean;
}

/** Runs a prepared input somewhere other than straight on the session: a batch gathered across calls. */
export interface DetectorRunner {
  run(input: DetectorInput): Promise<YunetOutputs>;
}

/** A detector input tensor and how to map its pixels back to the source image. */
export interface DetectorInput {
  data: Float32Array;
  width: number;
  height: number;
  /** tensor px = source px * scale + offset, per axis */
  scaleX: number;
  scaleY: number;
  offsetX: number;
  offsetY: number;
}

/**
 * Border added (as a fraction of the long side, each side) when a first pass finds nothing: on tight crops
 * the face touches the frame edges and YuNet, trained on faces with context, misses it.
 */
const RETRY_PAD = 0.3;
/** Mid-grey border: black or mirrored borders make edges or phantom faces the detector reacts to. */
const PAD_VALUE = 127;

/** Refinement crop: face box times this, rescaled to a canvas of this many pixels. */
const REFINE_CONTEXT = 1.5;
const REFINE_CANVAS = 320;
/**
 * Weight of the first pass's landmarks in the refined ones. The two passes see the face at different
 * scales and their errors are partly independent: the blend beat either alone on facescrub
 * (TAR@FAR1e-3, yunet-n: refine only 94.4%, 50/50 blend 95.1%).
 */
const REFINE_FIRST_WEIGHT = 0.5;
const REFINE_MIN_IOU = 0.3;

/** Source-to-canvas scale at which the refine pass sees the face in `box`: its crop needs no more pixels. */
export function refineSourceScale(box: { width: number; height: number }): number {
  return REFINE_CANVAS / (REFINE_CONTEXT * Math.max(box.width, box.height, 1));
}

const roundUp32 = (v: number): number => Math.max(32, Math.ceil(v / 32) * 32);

/**
 * The square canvas a letterboxed pass of content `long` px (long side) goes on: the smallest of four sizes up to
 * detectSize (160, 320, 480, 640 by default). A thumbnail then costs a quarter-size canvas rather than a full one,
 * while passes still fall into few shapes and batch together.
 */
function letterboxSide(long: number, detectSize: number): number {
  const step = roundUp32(detectSize / 4);
  return Math.min(roundUp32(detectSize), Math.max(step, Math.ceil(Math.round(long) / step) * step));
}

export class YunetDetector {
  readonly entry: DetectorEntry;
  private readonly session: ModelSession;
  private readonly spare = new SpareTensors();
  /** Tensor value of each 8-bit level, per tensor channel (BGR). */
  private readonly lut: ChannelLut;

  private constructor(entry: DetectorEntry, session: ModelSession) {
    this.entry = entry;
    this.session = session;
    this.lut = channelLut(entry.input.mean, entry.input.std);
  }

  static async create(entry: DetectorEntry, modelPath: string, opts: SessionOptions, open: SessionOpener = openSession): Promise<YunetDetector> {
    if (entry.input.color !== 'BGR') throw new Error(`Detector ${entry.id}: only BGR YuNet models are supported`);
    return new YunetDetector(entry, (await open(modelPath, opts)).session);
  }

  /**
   * Scales (never up) so the padded canvas's long side is at most `detectSize`, with a grey border of `pad`
   * (fraction of the long side) on every side.
   */
  prepare(image: RgbImage, detectSize: number, pad = 0, letterbox = false): Promise<DetectorInput> {
    const padPx = Math.round(pad * Math.max(image.width, image.height));
    const long = Math.max(image.width, image.height) + 2 * padPx;
    const scale = Math.min(1, detectSize / long);
    return this.prepareRegion(image, -padPx, -padPx, image.width + 2 * padPx, image.height + 2 * padPx, scale, letterbox ? letterboxSide(long * scale, detectSize) : 0);
  }

  /**
   * Lays out the source rectangle (rx, ry, rw, rh), which may extend past the image, scaled by `scale` into
   * a grey canvas padded to multiples of 32 (and to at least `minCanvas` on each side), as BGR NCHW float32.
   */
  async prepareRegion(image: RgbImage, rx: number, ry: number, rw: number, rh: number, scale: number, minCanvas = 0): Promise<DetectorInput> {
    const ix0 = Math.max(0, Math.floor(rx));
    const iy0 = Math.max(0, Math.floor(ry));
    const ix1 = Math.min(image.width, Math.ceil(rx + rw));
    const iy1 = Math.min(image.height, Math.ceil(ry + rh));
    const cw = Math.max(1, ix1 - ix0);
    const ch = Math.max(1, iy1 - iy0);
    const sw = Math.max(1, Math.round(cw * scale));
    const sh = Math.max(1, Math.round(ch * scale));
    const sx = sw / cw;
    const sy = sh / ch;
    const dx = Math.max(0, Math.round((ix0 - rx) * sx));
    const dy = Math.max(0, Math.round((iy0 - ry) * sy));
    const width = roundUp32(Math.max(Math.round(rw * scale), dx + sw, minCanvas));
    const height = roundUp32(Math.max(Math.round(rh * scale), dy + sh, minCanvas));
    const data = this.spare.take(3 * width * height);
    const canvas: Canvas = { data, width, plane: width * height, dx, dy, lut: this.lut };
    // A reused tensor holds the previous image: the border must always be repainted.
    paintBorder(canvas, height, sw, sh);
    if (sw === cw && sh === ch) {
      // A same-scale crop is read in place.
      layOut(canvas, image.data, (iy0 * image.width + ix0) * 3, image.width * 3, sw, sh);
    } else if (scale > 1) {
      // Enlarging (refining a small face) is interpolated here, straight into the tensor: sharp's cubic
      // enlargement measured no accuracy gain, while each sharp call costs ~1 ms of JS-thread time (and ORT
      // runs on that thread).
      layOutEnlarged(canvas, image, ix0, iy0, cw, ch, sw, sh);
    } else {
      // Shrinking goes to sharp, off the JS thread.
      let img = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
      if (cw !== image.width || ch !== image.height) img = img.extract({ left: ix0, top: iy0, width: cw, height: ch });
      const buf = await img.resize(sw, sh, { fit: 'fill', kernel: scale < 1 ? 'linear' : 'cubic' }).raw().toBuffer();
      layOut(canvas, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), 0, sw * 3, sw, sh);
    }
    return { data, width, height, scaleX: sx, scaleY: sy, offsetX: dx - ix0 * sx, offsetY: dy - iy0 * sy };
  }

  /** Raw model run on a prepared tensor (also what the benchmark's ceiling measures). */
  async run(data: Float32Array, width: number, height: number): Promise<YunetOutputs> {
    const input = new ort.Tensor('float32', data, [1, 3, height, width]);
    const result = await this.session.run({ [this.entry.input.name]: input });
    const out: YunetOutputs = {};
    for (const [name, t] of Object.entries(result)) out[name] = t.data as Float32Array;
    return out;
  }

  /**
   * One ORT run over inputs of one shape, stacked along the batch axis (both YuNet exports have a dynamic
   * batch): each input's outputs are views of the batch's.
   */
  async runMany(inputs: readonly DetectorInput[]): Promise<YunetOutputs[]> {
    const [first] = inputs;
    if (!first) return [];
    if (inputs.length === 1) return [await this.run(first.data, first.width, first.height)];
    const { width, height } = first;
    const per = 3 * width * height;
    const data = new Float32Array(per * inputs.length);
    inputs.forEach((x, i) => {
      if (x.width !== width || x.height !== height) throw new Error(`a detector batch mixes ${width}x${height} and ${x.width}x${x.height} inputs`);
      data.set(x.data.subarray(0, per), i * per);
    });
    const result = await this.session.run({ [this.entry.input.name]: new ort.Tensor('float32', data, [inputs.length, 3, height, width]) });
    return inputs.map((_, i) => {
      const out: YunetOutputs = {};
      for (const [name, t] of Object.entries(result)) {
        const all = t.data as Float32Array;
        const n = all.length / inputs.length;
        out[name] = all.subarray(i * n, (i + 1) * n);
      }
      return out;
    });
  }

  /**
   * Runs `input` (through `via`, a batcher, when given), then keeps its tensor for a later prepare: the caller
   * must not use `input.data` again.
   */
  async detectPrepared(input: DetectorInput, opts: DetectOptions, via?: DetectorRunner): Promise<Detection[]> {
    const outputs = await (via ? via.run(input) : this.run(input.data, input.width, input.height));
    this.spare.give(input.data);
    const dets = nms(decodeYunet(outputs, input.width, input.height, this.entry.strides, opts.detectScore), opts.nmsIou);
    const ix = 1 / input.scaleX;
    const iy = 1 / input.scaleY;
    return dets.map((d) => ({
      score: d.score,
      box: {
        x: (d.box.x - input.offsetX) * ix,
        y: (d.box.y - input.offsetY) * iy,
        width: d.box.width * ix,
        height: d.box.height * iy,
      },
      landmarks: d.landmarks.map(([x, y]) => [(x - input.offsetX) * ix, (y - input.offsetY) * iy]),
    }));
  }

  /** Detections in source-image pixels, best first; retries once with a border when nothing is found. */
  async detect(image: RgbImage, opts: DetectOptions, via?: DetectorRunner): Promise<Detection[]> {
    const first = await this.detectPrepared(await this.prepare(image, opts.detectSize, 0, opts.letterbox), opts, via);
    if (first.length > 0) return first;
    return this.detectPrepared(await this.prepare(image, opts.detectSize, RETRY_PAD, opts.letterbox), opts, via);
  }

  /**
   * Re-detects one face in a crop that shows it at a fixed size and returns that pass's landmarks. YuNet's
   * landmarks are most precise for faces of a couple of hundred pixels; whole-image passes see faces far
   * smaller (thumbnails) or larger (portraits), and the recogniser is sensitive to the alignment error.
   * Falls back to the input when the crop pass does not find the same face.
   */
  async refine(image: RgbImage, det: Detection, opts: DetectOptions, via?: DetectorRunner): Promise<Detection> {
    const side = REFINE_CONTEXT * Math.max(det.box.width, det.box.height);
    const cx = det.box.x + det.box.width / 2;
    const cy = det.box.y + det.box.height / 2;
    const input = await this.prepareRegion(image, cx - side / 2, cy - side / 2, side, side, REFINE_CANVAS / side, opts.letterbox ? REFINE_CANVAS : 0);
    const found = await this.detectPrepared(input, { ...opts, detectScore: Math.min(opts.detectScore, 0.3) }, via);
    let best: Detection | undefined;
    let bestIou = REFINE_MIN_IOU;
    for (const d of found) {
      const o = iou(d.box, det.box);
      if (o > bestIou) {
        best = d;
        bestIou = o;
      }
    }
    if (!best) return det;
    const w = REFINE_FIRST_WEIGHT;
    const second = best.landmarks;
    const landmarks = det.landmarks.map(([x, y], i): Point => [x * w + second[i]![0] * (1 - w), y * w + second[i]![1] * (1 - w)]);
    return { box: det.box, score: det.score, landmarks };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/** Tensor value of each 8-bit level for tensor channels 0, 1, 2 (B, G, R). */
interface ChannelLut {
  b: Float32Array;
  g: Float32Array;
  r: Float32Array;
  /** Every table maps each level to itself (mean 0, std 1). */
  identity: boolean;
}

/**
 * (v - mean) / std for every level, as the float32 the tensor stores: computed with the same double-precision
 * expression the per-pixel loop used, so the tensors are bit-identical, and a table read instead of a
 * subtraction and a multiplication per channel.
 */
function channelLut(mean: readonly number[], std: readonly number[]): ChannelLut {
  const make = (c: number): Float32Array => {
    const t = new Float32Array(256);
    const m = mean[c]!;
    const inv = 1 / std[c]!;
    for (let v = 0; v < 256; v++) t[v] = (v - m) * inv;
    return t;
  };
  const [b, g, r] = [make(0), make(1), make(2)];
  const identity = [b, g, r].every((t) => t.every((value, level) => value === level));
  return { b, g, r, identity };
}

/** Where a region lands in a detector tensor: NCHW planes of `plane` floats, rows of `width`, from (dx, dy). */
interface Canvas {
  data: Float32Array;
  width: number;
  plane: number;
  dx: number;
  dy: number;
  lut: ChannelLut;
}

/** Fills every plane outside the sw x sh picture at (dx, dy) with the pad value; the picture is written after. */
function paintBorder(c: Canvas, height: number, sw: number, sh: number): void {
  const { data, width, plane, dx, dy } = c;
  const right = dx + sw;
  for (let p = 0; p < 3; p++) {
    const base = p * plane;
    data.fill(PAD_VALUE, base, base + dy * width);
    data.fill(PAD_VALUE, base + (dy + sh) * width, base + height * width);
    if (dx === 0 && right === width) continue;
    // Plain loops: the side strips are a few pixels per row (the canvas rounds up to 32), too short to be worth
    // fill()'s per-call cost, twice per row in each plane.
    for (let y = dy; y < dy + sh; y++) {
      const row = base + y * width;
      for (let x = row; x < row + dx; x++) data[x] = PAD_VALUE;
      for (let x = row + right; x < row + width; x++) data[x] = PAD_VALUE;
    }
  }
}

/** Copies sw x sh packed-RGB pixels (rows `stride` bytes apart from `start`) into the canvas as BGR planes. */
function layOut(c: Canvas, pixels: Uint8Array, start: number, stride: number, sw: number, sh: number): void {
  const { data, width, plane, dx, dy } = c;
  const { b, g, r, identity } = c.lut;
  for (let y = 0; y < sh; y++) {
    let src = start + y * stride;
    let dst = (y + dy) * width + dx;
    // Channel 0 of the tensor is blue: the model was trained on OpenCV's BGR frames.
    if (identity) {
      // Both YuNet exports take raw 0-255 values: the byte itself is the tensor value, no table read needed.
      for (let x = 0; x < sw; x++, src += 3, dst++) {
        data[dst] = pixels[src + 2]!;
        data[dst + plane] = pixels[src + 1]!;
        data[dst + 2 * plane] = pixels[src]!;
      }
    } else {
      for (let x = 0; x < sw; x++, src += 3, dst++) {
        data[dst] = b[pixels[src + 2]!]!;
        data[dst + plane] = g[pixels[src + 1]!]!;
        data[dst + 2 * plane] = r[pixels[src]!]!;
      }
    }
  }
}

/**
 * The (x0, y0, cw, ch) crop of `image` enlarged to sw x sh (bilinear, pixel centres aligned, edges clamped, each
 * sample rounded to 8 bits as a resampled image would be) and laid out into the canvas in the same pass. Enlarging
 * maps several output rows onto each pair of source rows, so each source row is interpolated across once (in
 * doubles, the same arithmetic as a per-pixel lerp) and the rows below reuse it.
 */
function layOutEnlarged(c: Canvas, image: RgbImage, x0: number, y0: number, cw: number, ch: number, sw: number, sh: number): void {
  const { data: src, width: W } = image;
  const { data, width, plane, dx, dy } = c;
  const { b: lb, g: lg, r: lr, identity } = c.lut;
  const xo = new Int32Array(sw);
  const xw = new Float32Array(sw);
  for (let x = 0; x < sw; x++) {
    const u = Math.min(cw - 1, Math.max(0, ((x + 0.5) * cw) / sw - 0.5));
    const i = Math.max(0, Math.min(cw - 2, Math.floor(u)));
    xo[x] = i * 3;
    xw[x] = cw > 1 ? u - i : 0;
  }
  const step = cw > 1 ? 3 : 0;
  const across = (row: Float64Array, j: number): void => {
    const r0 = ((y0 + j) * W + x0) * 3;
    for (let x = 0, o = 0; x < sw; x++, o += 3) {
      const a = r0 + xo[x]!;
      const wx = xw[x]!;
      row[o] = src[a]! + (src[a + step]! - src[a]!) * wx;
      row[o + 1] = src[a + 1]! + (src[a + step + 1]! - src[a + 1]!) * wx;
      row[o + 2] = src[a + 2]! + (src[a + step + 2]! - src[a + 2]!) * wx;
    }
  };
  let upper = new Float64Array(sw * 3);
  let lower = new Float64Array(sw * 3);
  let upperRow = -1;
  let lowerRow = -1;
  for (let y = 0; y < sh; y++) {
    const v = Math.min(ch - 1, Math.max(0, ((y + 0.5) * ch) / sh - 0.5));
    const j = Math.max(0, Math.min(ch - 2, Math.floor(v)));
    const wy = ch > 1 ? v - j : 0;
    const j1 = ch > 1 ? j + 1 : j;
    if (upperRow !== j) {
      if (lowerRow === j) {
        [upper, lower] = [lower, upper];
        upperRow = j;
        lowerRow = -1;
      } else {
        across(upper, j);
        upperRow = j;
      }
    }
    if (lowerRow !== j1) {
      across(lower, j1);
      lowerRow = j1;
    }
    let dst = (y + dy) * width + dx;
    for (let o = 0; o < sw * 3; o += 3, dst++) {
      let top = upper[o]!;
      const red = Math.round(top + (lower[o]! - top) * wy);
      top = upper[o + 1]!;
      const green = Math.round(top + (lower[o + 1]! - top) * wy);
      top = upper[o + 2]!;
      const blue = Math.round(top + (lower[o + 2]! - top) * wy);
      data[dst] = identity ? blue : lb[blue]!;
      data[dst + plane] = identity ? green : lg[green]!;
      data[dst + 2 * plane] = identity ? red : lr[red]!;
    }
  }
}
