import type { SearchOptions, VectorIndex, VectorRecord } from '@facerec/vector-index';
import type { IndexSizeSource, Metrics } from './metrics.ts';

/** Sizes are re-read at most this often per collection, so frequent scrapes cost the index little. */
const SIZE_TTL_MS = 15_000;
/** Most collections whose sizes one process keeps track of; the oldest used is forgotten first. */
const MAX_TRACKED = 1_000;

/**
 * Sizes of the collections this process has used. The vector index port has no "list every collection"
 * (collections belong to tenants, and Qdrant may hold other deployments'), so the gauges cover what this
 * process touched since it started; in a fleet each gateway reports the collections it served.
 */
class CollectionSizes implements IndexSizeSource {
  private readonly known = new Map<string, { faces: number; readAt: number } | null>();
  private readonly index: VectorIndex;

  constructor(index: VectorIndex) {
    this.index = index;
  }

  touch(name: string): void {
    const entry = this.known.get(name);
    this.known.delete(name);
    this.known.set(name, entry ?? null);
    if (this.known.size > MAX_TRACKED) this.known.delete(this.known.keys().next().value as string);
  }

  forget(name: string): void {
    this.known.delete(name);
  }

  async read(): Promise<{ collections: number; faces: number; largest: number }> {
    const now = Date.now();
    for (const [name, entry] of [...this.known]) {
      if (entry && now - entry.readAt < SIZE_TTL_MS) continue;
      const info = await this.index.describeCollection(name).catch(() => undefined);
      if (info === undefined) continue;
      if (info === null) this.known.delete(name);
      else if (this.known.has(name)) this.known.set(name, { faces: info.count, readAt: now });
    }
    let faces = 0;
    let largest = 0;
    let collections = 0;
    for (const entry of this.known.values()) {
      if (!entry) continue;
      collections += 1;
      faces += entry.faces;
      largest = Math.max(largest, entry.faces);
    }
    return { collections, faces, largest };
  }
}

/**
 * The vector index with search latency measured and collection sizes reported, wrapped at the port so neither
 * adapter nor the collection service knows about metrics.
 */
export function instrumentVectorIndex(index: VectorIndex, metrics: Metrics): VectorIndex {
  const sizes = new CollectionSizes(index);
  metrics.watchIndex(sizes);
  const backend = index.kind;
  return {
    kind: index.kind,
    async createCollection(name: string, spec: { dimension: number }) {
      await index.createCollection(name, spec);
      sizes.touch(name);
    },
    async dropCollection(name: string) {
      const dropped = await index.dropCollection(name);
      sizes.forget(name);
      return dropped;
    },
    describeCollection: (name: string) => index.describeCollection(name),
    async upsert(collection: string, records: VectorRecord[]) {
      await index.upsert(collection, records);
      sizes.touch(collection);
    },
    get: (collection: string, ids: string[]) => index.get(collection, ids),
    delete: (collection: string, ids: string[]) => index.delete(collection, ids),
    deleteBySubject: (collection: string, subjectId: string) => index.deleteBySubject(collection, subjectId),
    async search(collection: string, vector: Float32Array, opts: SearchOptions) {
      sizes.touch(collection);
      const end = metrics.vectorSearch.startTimer({ backend });
      try {
        const hits = await index.search(collection, vector, opts);
        end({ outcome: 'ok' });
        return hits;
      } catch (err) {
        end({ outcome: 'error' });
        throw err;
      }
    },
    close: () => index.close(),
  };
}
