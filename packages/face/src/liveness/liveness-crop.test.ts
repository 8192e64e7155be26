import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { livenessCropBounds, livenessTensor, softmaxAt } from './liveness-crop.ts';

/** minivision's CropImage._get_new_box, transcribed line by line from Python (the reference). */
function reference(srcW: number, srcH: number, bbox: [number, number, number, number], scale: number) {
  const [x, y, boxW, boxH] = bbox;
  scale = Math.min((srcH - 1) / boxH, Math.min((srcW - 1) / boxW, scale));
  const newW = boxW * scale;
  const newH = boxH * scale;
  const cx = boxW / 2 + x;
  const cy = boxH / 2 + y;
  let ltx = cx - newW / 2;
  let lty = cy - newH / 2;
  let rbx = cx + newW / 2;
  let rby = cy + newH / 2;
  if (ltx < 0) {
    rbx -= ltx;
    ltx = 0;
  }
  if (lty < 0) {
    rby -= lty;
    lty = 0;
  }
  if (rbx > srcW - 1) {
    ltx -= rbx - srcW + 1;
    rbx = srcW - 1;
  }
  if (rby > srcH - 1) {
    lty -= rby - srcH + 1;
    rby = srcH - 1;
  }
  // Python's int() has no negative zero.
  const int = (v: number) => Math.trunc(v) || 0;
  return { left: int(ltx), top: int(lty), right: int(rbx), bottom: int(rby) };
}

const image = fc.record({ w: fc.integer({ min: 16, max: 4000 }), h: fc.integer({ min: 16, max: 4000 }) });
const faceIn = ({ w, h }: { w: number; h: number }) =>
  fc
    .record({ fx: fc.double({ min: 0, max: 0.9, noNaN: true }), fy: fc.double({ min: 0, max: 0.9, noNaN: true }), fw: fc.double({ min: 0.02, max: 1, noNaN: true }), fh: fc.double({ min: 0.02, max: 1, noNaN: true }) })
    .map(({ fx, fy, fw, fh }) => {
      const x = fx * w;
      const y = fy * h;
      return { x, y, width: Math.max(2, Math.min(w - x, fw * w)), height: Math.max(2, Math.min(h - y, fh * h)) };
    });

describe('liveness crop geometry (MiniFASNet 2.7x box)', () => {
  it('matches minivision\'s _get_new_box on any face in any image', () => {
    fc.assert(
      fc.property(image.chain((img) => fc.tuple(fc.constant(img), faceIn(img))), ([{ w, h }, box]) => {
        expect(livenessCropBounds(box, w, h, 2.7)).toEqual(reference(w, h, [box.x, box.y, box.width, box.height], 2.7));
      }),
      { numRuns: 2000 },
    );
  });

  it('stays inside the image and keeps the face centre inside the region', () => {
    fc.assert(
      fc.property(image.chain((img) => fc.tuple(fc.constant(img), faceIn(img))), ([{ w, h }, box]) => {
        const b = livenessCropBounds(box, w, h, 2.7);
        expect(b.left).toBeGreaterThanOrEqual(0);
        expect(b.top).toBeGreaterThanOrEqual(0);
        expect(b.right).toBeLessThanOrEqual(w - 1);
        expect(b.bottom).toBeLessThanOrEqual(h - 1);
        expect(b.right).toBeGreaterThanOrEqual(b.left);
        expect(b.bottom).toBeGreaterThanOrEqual(b.top);
        const cx = box.x + box.width / 2;
        const cy = box.y + box.height / 2;
        expect(cx).toBeGreaterThanOrEqual(b.left - 1);
        expect(cx).toBeLessThanOrEqual(b.right + 1);
        expect(cy).toBeGreaterThanOrEqual(b.top - 1);
        expect(cy).toBeLessThanOrEqual(b.bottom + 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes 2.7 times the box when it fits, centred on the face', () => {
    expect(livenessCropBounds({ x: 270, y: 190, width: 100, height: 100 }, 640, 480, 2.7)).toEqual({ left: 185, top: 105, right: 455, bottom: 375 });
  });
});

describe('liveness tensor', () => {
  const solid = (w: number, h: number, rgb: [number, number, number]) => {
    const data = new Uint8Array(w * h * 3);
    for (let i = 0; i < w * h; i++) data.set(rgb, i * 3);
    return { data, width: w, height: h };
  };

  it('lays out raw 0..255 values in BGR planes for a BGR model', () => {
    const t = livenessTensor(solid(301, 177, [10, 20, 30]), 80, 'BGR', [0, 0, 0], [1, 1, 1]);
    expect(t.length).toBe(3 * 80 * 80);
    expect(new Set(t.subarray(0, 6400))).toEqual(new Set([30]));
    expect(new Set(t.subarray(6400, 12800))).toEqual(new Set([20]));
    expect(new Set(t.subarray(12800))).toEqual(new Set([10]));
  });

  it('resizes like cv2 INTER_LINEAR: an exact 2x upscale of two pixels interpolates between them', () => {
    const src = { data: Uint8Array.from([0, 0, 0, 200, 200, 200]), width: 2, height: 1 };
    const t = livenessTensor(src, 4, 'RGB', [0, 0, 0], [1, 1, 1]);
    // cv2.resize(np.array([[0, 200]]), (4, 4)) -> rows of [0, 50, 150, 200]
    expect(Array.from(t.subarray(0, 4))).toEqual([0, 50, 150, 200]);
  });

  it('softmax picks the class probability stably', () => {
    expect(softmaxAt([1000, 1001, 999], 1)).toBeCloseTo(Math.exp(1) / (1 + Math.exp(1) + Math.exp(-1)), 12);
    expect(softmaxAt([0, 0, 0], 2)).toBeCloseTo(1 / 3, 12);
  });
});
