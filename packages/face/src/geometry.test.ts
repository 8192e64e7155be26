import { describe, expect, it } from 'vitest';
import { cosineSimilarity, l2Normalize } from './cosine.ts';
import { nms, iou } from './nms.ts';
import { rankFaces } from './rank-faces.ts';
import { applySimilarity, ARCFACE_TEMPLATE, estimateSimilarity, invertSimilarity } from './similarity-transform.ts';
import { poseFromLandmarks } from './quality.ts';
import type { Detection, Point } from './types.ts';

describe('similarity transform', () => {
  it('recovers a known rotation + scale + translation exactly', () => {
    const truth = { a: 0.5 * Math.cos(0.3), b: 0.5 * Math.sin(0.3), tx: 12, ty: -7 };
    const src: Point[] = [[100, 120], [180, 118], [140, 170], [110, 210], [175, 208]];
    const dst = src.map((p) => applySimilarity(truth, p));
    const t = estimateSimilarity(src, dst);
    expect(t.a).toBeCloseTo(truth.a, 9);
    expect(t.b).toBeCloseTo(truth.b, 9);
    expect(t.tx).toBeCloseTo(truth.tx, 9);
    expect(t.ty).toBeCloseTo(truth.ty, 9);
    const back = applySimilarity(invertSimilarity(t), dst[2]!);
    expect(back[0]).toBeCloseTo(140, 9);
    expect(back[1]).toBeCloseTo(170, 9);
  });

  it('maps the template onto itself with the identity', () => {
    const t = estimateSimilarity(ARCFACE_TEMPLATE, ARCFACE_TEMPLATE);
    expect([t.a, t.b, t.tx, t.ty].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([1, 0, 0, 0]);
  });
});

describe('nms and primary face', () => {
  const det = (x: number, y: number, s: number, score: number): Detection => ({
    box: { x, y, width: s, height: s },
    score,
    landmarks: [],
  });

  it('suppresses overlapping boxes and keeps the best-scoring one', () => {
    expect(iou(det(0, 0, 10, 1).box, det(5, 0, 10, 1).box)).toBeCloseTo(50 / 150, 9);
    const kept = nms([det(0, 0, 10, 0.7), det(1, 1, 10, 0.9), det(50, 50, 10, 0.8)], 0.3);
    expect(kept.map((d) => d.score)).toEqual([0.9, 0.8]);
  });

  it('ranks faces by prominence: size, discounted by the distance from the centre', () => {
    expect(rankFaces([], 100, 100)).toEqual({ order: [], dominant: false });
    expect(rankFaces([det(40, 40, 20, 1)], 100, 100)).toEqual({ order: [0], dominant: true });
    expect(rankFaces([det(0, 0, 10, 1), det(60, 60, 30, 1)], 100, 100).order).toEqual([1, 0]);
    // Three equal faces side by side: the central one first, but it does not dominate its neighbours...
    const row = rankFaces([det(20, 40, 20, 1), det(40, 40, 20, 1), det(60, 40, 20, 1)], 100, 100);
    expect([row.order[0], row.dominant]).toEqual([1, false]);
    // ...while a centred subject with a slightly smaller bystander at the edge does (the LFW-style news photo).
    expect(rankFaces([det(80, 35, 18, 1), det(40, 35, 22, 1)], 100, 100)).toEqual({ order: [1, 0], dominant: true });
    // A face twice as wide at the edge still outranks a small central one.
    expect(rankFaces([det(45, 45, 10, 1), det(0, 30, 40, 1)], 100, 100).order).toEqual([1, 0]);
  });
});

describe('cosine and pose', () => {
  it('computes cosine similarity and normalises', () => {
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow();
    const v = l2Normalize(Float32Array.from([3, 4]));
    expect([v[0], v[1]]).toEqual([Math.fround(0.6), Math.fround(0.8)]);
  });

  it('reads roll from the eye line and yaw from the nose offset', () => {
    const frontal = poseFromLandmarks(ARCFACE_TEMPLATE);
    expect(Math.abs(frontal.yaw)).toBeLessThan(5);
    expect(Math.abs(frontal.roll)).toBeLessThan(1);
    const turned: Point[] = ARCFACE_TEMPLATE.map(([x, y], i) => [i === 2 ? x + 20 : x, y]);
    expect(poseFromLandmarks(turned).yaw).toBeGreaterThan(30);
    const tilted = ARCFACE_TEMPLATE.map((p) => applySimilarity({ a: Math.cos(0.5), b: Math.sin(0.5), tx: 0, ty: 0 }, p));
    expect(poseFromLandmarks(tilted).roll).toBeCloseTo((0.5 * 180) / Math.PI, 0);
  });
});
