import type { SearchHit } from '../vector-index.ts';

export interface WideningSource {
  /** Points in the collection (the search is exhausted once this many were ranked). */
  total: number;
  /** Largest `limit` one request may ask for (strict mode's `max_query_limit`), or Infinity. */
  maxLimit: number;
  /** The hits ranked `offset` .. `offset + limit - 1`, best first; `exhaustive` asks for a full scan. */
  fetch(offset: number, limit: number, exhaustive: boolean): Promise<SearchHit[]>;
}

function firstPerSubject(hits: SearchHit[], topK: number): SearchHit[] {
  const best = new Map<string, SearchHit>();
  for (const h of hits) {
    if (!best.has(h.payload.subject_id)) best.set(h.payload.subject_id, h);
    if (best.size >= topK) break;
  }
  return [...best.values()];
}

/**
 * Best face of each of the top `topK` subjects, the embedded adapter's answer. Qdrant's own grouping gives up
 * after a few rounds when subjects own many close faces, so this ranks plain hits and widens the window 4x at
 * a time (a fresh, self-consistent ranking each time) until it holds `topK` distinct subjects or every point.
 * Past the server's largest allowed `limit` it pages with `offset` instead. The last window, when it covers
 * the whole collection, is an exhaustive scan: a graph walk is not guaranteed to reach every point.
 */
export async function widenForSubjects(topK: number, start: number, src: WideningSource): Promise<SearchHit[]> {
  let ranked: SearchHit[] = [];
  let k = Math.max(1, Math.min(start, src.total));
  for (;;) {
    const exhaustive = k >= src.total;
    if (k <= src.maxLimit) {
      ranked = await src.fetch(0, k, exhaustive);
    } else {
      // Page from where the ranking stops; ids already seen (a page boundary can shift between requests) are skipped.
      const seen = new Set(ranked.map((h) => h.id));
      while (ranked.length < k) {
        const page = await src.fetch(ranked.length, src.maxLimit, false);
        for (const h of page) {
          if (seen.has(h.id)) continue;
          seen.add(h.id);
          ranked.push(h);
        }
        if (page.length < src.maxLimit) break;
        if (firstPerSubject(ranked, topK).length >= topK) break;
      }
    }
    const best = firstPerSubject(ranked, topK);
    if (best.length >= topK || exhaustive || ranked.length < k) return best;
    k = Math.min(src.total, k * 4);
  }
}
