import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../vector-index.ts';
import { widenForSubjects } from './best-per-subject.ts';

/** A full ranking: `subjects[i]` owns hit i; scores strictly descending. */
function ranking(subjects: number[]): SearchHit[] {
  return subjects.map((s, i) => ({ id: `f${i}`, score: 1 - i / (subjects.length + 1), payload: { subject_id: `s${s}`, face_id: `f${i}` } }));
}

function expected(all: SearchHit[], topK: number): string[] {
  const seen: string[] = [];
  for (const h of all) if (!seen.includes(h.payload.subject_id) && seen.length < topK) seen.push(h.payload.subject_id);
  return seen;
}

describe('widenForSubjects', () => {
  it('returns the first top_k distinct subjects of the full ranking (best face each), widening or paging as needed', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Crowded rankings: few subjects, long runs of one subject's faces.
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 200 }),
        fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 1, max: 64 })),
        async (runs, topK, start, maxLimit) => {
          const all = ranking(runs.flatMap(([s, n]) => Array.from({ length: n }, () => s)));
          const requests: { offset: number; limit: number; exhaustive: boolean }[] = [];
          const got = await widenForSubjects(topK, start, {
            total: all.length,
            maxLimit,
            fetch: async (offset, limit, exhaustive) => {
              requests.push({ offset, limit, exhaustive });
              return all.slice(offset, offset + limit);
            },
          });
          expect(got.map((h) => h.payload.subject_id)).toEqual(expected(all, topK));
          for (const h of got) expect(h.id).toBe(all.find((a) => a.payload.subject_id === h.payload.subject_id)!.id);
          for (const r of requests) expect(r.limit).toBeLessThanOrEqual(Math.min(maxLimit, all.length));
        },
      ),
    );
  });

  it('stops at the first window that holds enough subjects', async () => {
    const all = ranking([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
    const limits: number[] = [];
    const got = await widenForSubjects(3, 4, {
      total: all.length,
      maxLimit: Number.POSITIVE_INFINITY,
      fetch: async (offset, limit) => (limits.push(limit), all.slice(offset, offset + limit)),
    });
    expect(got.map((h) => h.payload.subject_id)).toEqual(['s1', 's2', 's3']);
    expect(limits).toEqual([4, 12]);
  });

  it('scans exhaustively once the window covers the whole collection', async () => {
    const all = ranking([1, 1, 1, 1, 1, 1, 1, 1, 2]);
    const calls: boolean[] = [];
    const got = await widenForSubjects(5, 2, {
      total: all.length,
      maxLimit: Number.POSITIVE_INFINITY,
      fetch: async (offset, limit, exhaustive) => (calls.push(exhaustive), all.slice(offset, offset + limit)),
    });
    expect(got.map((h) => h.payload.subject_id)).toEqual(['s1', 's2']);
    expect(calls).toEqual([false, false, true]);
  });
});
