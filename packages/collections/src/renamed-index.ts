import type { VectorIndex } from '@facerec/vector-index';

/**
 * `index` with index collection `from` read and written as `to`: how code that names index collections by
 * the catalog id (SubjectScorer) works on a collection whose vectors moved to another index collection when
 * it switched embedders.
 */
export function renamedIndex(index: VectorIndex, from: string, to: string): VectorIndex {
  const n = (c: string) => (c === from ? to : c);
  return {
    kind: index.kind,
    createCollection: (c, spec) => index.createCollection(n(c), spec),
    dropCollection: (c) => index.dropCollection(n(c)),
    describeCollection: (c) => index.describeCollection(n(c)),
    upsert: (c, records) => index.upsert(n(c), records),
    get: (c, ids) => index.get(n(c), ids),
    delete: (c, ids) => index.delete(n(c), ids),
    deleteBySubject: (c, subject) => index.deleteBySubject(n(c), subject),
    search: (c, vector, opts) => index.search(n(c), vector, opts),
    // The view does not own the index.
    close: async () => {},
  };
}
