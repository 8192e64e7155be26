import fc from 'fast-check';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findModel, type DetectorEntry } from '@facerec/models';
import { alignFace } from './align-face.ts';
import { estimateSimilarity, invertSimilarity, ARCFACE_TEMPLATE } from './similarity-transform.ts';
import { DEFAULT_OPTIONS, MODELS_DIR, testManifest } from './test-fixtures.ts';
import { YunetDetector } from './yunet-detector.ts';
import type { Point, RgbImage } from './types.ts';

/**
 * The detector's tensor layout and the face warp are tuned loops (lookup tables, fused resampling, reused
 * tensors, an interior fast path). These properties hold them to plain per-pixel definitions of what they compute,
 * on random images and geometry, so a speed-up cannot quietly change a pixel.
 */

const PAD = 127;

const arbImage = (maxSide: number) =>
  fc.record({ width: fc.integer({ min: 1, max: maxSide }), height: fc.integer({ min: 1, max: maxSide }) }).chain(({ width, height }) =>
    fc.uint8Array({ minLength: width * height * 3, maxLength: width * height * 3 }).map((data): RgbImage => ({ data, width, height })),
  );

/** Bilinear read of channel c at (u, v) with clamped coordinates and clamped neighbours (the enlargement's edges). */
function clampedBilinear(img: RgbImage, x0: number, y0: number, cw: number, ch: number, u: number, v: number, c: number): number {
  const px = (x: number, y: number) => img.data[((y0 + Math.min(ch - 1, y)) * img.width + x0 + Math.min(cw - 1, x)) * 3 + c]!;
  const i = Math.max(0, Math.min(cw - 2, Math.floor(u)));
  const j = Math.max(0, Math.min(ch - 2, Math.floor(v)));
  const wx = cw > 1 ? u - i : 0;
  const wy = ch > 1 ? v - j : 0;
  const top = px(i, j) + (px(i + 1, j) - px(i, j)) * wx;
  const bot = px(i, j + 1) + (px(i + 1, j + 1) - px(i, j + 1)) * wx;
  return Math.round(top + (bot - top) * wy);
}

/** prepareRegion by its definition: a grey canvas, the region's pixels (enlarged bilinearly when scale > 1) placed at (dx, dy), BGR planes. */
function referenceLayout(entry: DetectorEntry, img: RgbImage, rx: number, ry: number, rw: number, rh: number, scale: number) {
  const ix0 = Math.max(0, Math.floor(rx));
  const iy0 = Math.max(0, Math.floor(ry));
  const cw = Math.max(1, Math.min(img.width, Math.ceil(rx + rw)) - ix0);
  const ch = Math.max(1, Math.min(img.height, Math.ceil(ry + rh)) - iy0);
  const sw = Math.max(1, Math.round(cw * scale));
  const sh = Math.max(1, Math.round(ch * scale));
  const dx = Math.max(0, Math.round((ix0 - rx) * (sw / cw)));
  const dy = Math.max(0, Math.round((iy0 - ry) * (sh / ch)));
  const up = (v: number) => Math.max(32, Math.ceil(v / 32) * 32);
  const width = up(Math.max(Math.round(rw * scale), dx + sw));
  const height = up(Math.max(Math.round(rh * scale), dy + sh));
  const out = new Float64Array(3 * width * height).fill(PAD);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      for (let c = 0; c < 3; c++) {
        const v =
          sw === cw && sh === ch
            ? img.data[((iy0 + y) * img.width + ix0 + x) * 3 + c]!
            : clampedBilinear(img, ix0, iy0, cw, ch, Math.min(cw - 1, Math.max(0, ((x + 0.5) * cw) / sw - 0.5)), Math.min(ch - 1, Math.max(0, ((y + 0.5) * ch) / sh - 0.5)), c);
        const plane = 2 - c; // tensor channel 0 is blue
        out[plane * width * height + (y + dy) * width + x + dx] = (v - entry.input.mean[plane]!) / entry.input.std[plane]!;
      }
    }
  }
  return { data: out, width, height, inPlace: sw === cw && sh === ch };
}

// The manifest's YuNet takes raw 0-255 values (a layout without table reads); the second entry normalises, as other
// detectors would, so the table path stays covered too.
describe.each([
  ['raw levels (the manifest entry)', (e: DetectorEntry): DetectorEntry => e],
  ['normalised levels', (e: DetectorEntry): DetectorEntry => ({ ...e, input: { ...e.input, mean: [104, 117, 123], std: [57.4, 57.1, 58.4] } })],
])('detector tensor layout, %s', (_name, variant) => {
  let detector: YunetDetector;
  beforeAll(async () => {
    const entry = variant(findModel(await testManifest(), DEFAULT_OPTIONS.detector, 'detect'));
    detector = await YunetDetector.create(entry, join(MODELS_DIR, entry.file), { threads: 1, providers: ['cpu'] });
  });
  afterAll(() => detector.close());

  const arbRegion = fc.record({
    rx: fc.double({ min: -12, max: 20, noNaN: true }),
    ry: fc.double({ min: -12, max: 20, noNaN: true }),
    rw: fc.double({ min: 1, max: 40, noNaN: true }),
    rh: fc.double({ min: 1, max: 40, noNaN: true }),
    // 1: read in place; above: enlarged in the same pass (shrinking goes to sharp, which has its own tests).
    scale: fc.oneof(fc.constant(1), fc.double({ min: 1, max: 4, noNaN: true })),
  });

  it('equals the per-pixel definition, also on a reused tensor that held another image', async () => {
    const opts = { detectSize: 640, detectScore: 0.9, nmsIou: 0.3 };
    await fc.assert(
      fc.asyncProperty(arbImage(24), arbRegion, arbImage(24), async (img, r, previous) => {
        // Run a first image through the model so its tensor goes back to the spares and the next prepare reuses it.
        await detector.detectPrepared(await detector.prepare(previous, 640, 0.3), opts);
        const got = await detector.prepareRegion(img, r.rx, r.ry, r.rw, r.rh, r.scale);
        const want = referenceLayout(detector.entry, img, r.rx, r.ry, r.rw, r.rh, r.scale);
        expect([got.width, got.height]).toEqual([want.width, want.height]);
        // Pixels read in place match exactly; interpolated ones may round to the next 8-bit level (the loop keeps its
        // weights in float32).
        const level = Math.max(...detector.entry.input.std.map((s) => 1 / s));
        const tolerance = want.inPlace ? 1e-4 : level + 1e-4;
        for (let i = 0; i < want.data.length; i++) {
          if (Math.abs(got.data[i]! - want.data[i]!) > tolerance) expect.fail(`element ${i}: ${got.data[i]} != ${want.data[i]}`);
        }
        await detector.detectPrepared(got, opts);
      }),
      { numRuns: 60 },
    );
  });
});

/** alignFace by its definition: each output pixel the mean of k x k bilinear taps, neighbours off the image black. */
function referenceAlign(img: RgbImage, landmarks: readonly Point[]): Uint8Array {
  const size = 112;
  const fwd = estimateSimilarity(landmarks, ARCFACE_TEMPLATE);
  const inv = invertSimilarity(fwd);
  const k = Math.min(2, Math.max(1, Math.round(1 / Math.hypot(fwd.a, fwd.b))));
  const px = (x: number, y: number, c: number) => (x < img.width && y < img.height ? img.data[(y * img.width + x) * 3 + c]! : 0);
  const out = new Uint8Array(size * size * 3);
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let j = 0; j < k; j++) {
          for (let i = 0; i < k; i++) {
            const su = u + (i + 0.5) / k - 0.5;
            const sv = v + (j + 0.5) / k - 0.5;
            const fx = Math.min(img.width - 1, Math.max(0, inv.a * su - inv.b * sv + inv.tx));
            const fy = Math.min(img.height - 1, Math.max(0, inv.b * su + inv.a * sv + inv.ty));
            const x0 = Math.floor(fx);
            const y0 = Math.floor(fy);
            const ax = fx - x0;
            const ay = fy - y0;
            sum += px(x0, y0, c) * (1 - ax) * (1 - ay) + px(x0 + 1, y0, c) * ax * (1 - ay) + px(x0, y0 + 1, c) * (1 - ax) * ay + px(x0 + 1, y0 + 1, c) * ax * ay;
          }
        }
        out[(v * size + u) * 3 + c] = Math.round(sum / (k * k));
      }
    }
  }
  return out;
}

describe('face alignment warp', () => {
  it('equals the per-pixel definition within one level, faces inside, across and beyond the image edges', () => {
    const arbFace = fc.record({
      cx: fc.double({ min: -20, max: 140, noNaN: true }),
      cy: fc.double({ min: -20, max: 140, noNaN: true }),
      // Eye distance: below, near and above the template's (38 px), so k is 1 and 2.
      eyes: fc.double({ min: 15, max: 160, noNaN: true }),
      angle: fc.double({ min: -0.6, max: 0.6, noNaN: true }),
    });
    fc.assert(
      fc.property(arbImage(120), arbFace, (img, f) => {
        const s = f.eyes / (ARCFACE_TEMPLATE[1]![0] - ARCFACE_TEMPLATE[0]![0]);
        const [cos, sin] = [Math.cos(f.angle) * s, Math.sin(f.angle) * s];
        const landmarks = ARCFACE_TEMPLATE.map(([x, y]): Point => [f.cx + cos * (x - 56) - sin * (y - 56), f.cy + sin * (x - 56) + cos * (y - 56)]);
        const got = alignFace(img, landmarks).data;
        const want = referenceAlign(img, landmarks);
        for (let i = 0; i < want.length; i++) {
          if (Math.abs(got[i]! - want[i]!) > 1) expect.fail(`byte ${i}: ${got[i]} != ${want[i]}`);
        }
      }),
      { numRuns: 40 },
    );
  });
});
