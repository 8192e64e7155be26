import type { Catalog } from '@facerec/collections';

/** Subjects per catalog round trip while a migration walks a collection. */
const PAGE = 200;

export interface WalkedFace {
  id: string;
  subjectId: string;
}

/**
 * A collection's faces a page of subjects at a time, grouped by subject (ordered by subject id), so a
 * migration's passes over a collection of any size hold one page in memory.
 */
export async function* facePages(catalog: Catalog, collectionId: string): AsyncGenerator<Map<string, WalkedFace[]>> {
  let after: string | undefined;
  for (;;) {
    const page = await catalog.listSubjects(collectionId, { after, limit: PAGE });
    if (page.length === 0) return;
    after = page[page.length - 1]!.subjectId;
    const faces = await catalog.facesOfSubjects(collectionId, page.map((s) => s.subjectId));
    yield new Map([...faces].map(([subjectId, ids]) => [subjectId, ids.map((id) => ({ id, subjectId }))]));
  }
}
