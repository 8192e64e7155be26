import { isFaceRecError } from '@facerec/errors';
import type { VectorIndex } from '@facerec/vector-index';
import { type Catalog, type Centroid, type CollectionRow, indexName, type MigrationFailure, type MigrationRecord } from '@facerec/collections';
import type { FaceExtractor } from '../face-extractor.ts';
import { facePages } from './collection-walk.ts';

/** Failures a report lists; the count covers them all. */
const LISTED = 100;
/** Crops re-embedded at once by a catch-up pass. */
const CATCH_UP_CONCURRENCY = 4;

export interface SpaceDeps {
  catalog: Catalog;
  index: VectorIndex;
  extractor: FaceExtractor;
}

export interface CompletedSpace {
  faces: number;
  migrated: number;
  failed: number;
  failures: MigrationFailure[];
  /** The sum of the new vectors of every face that has one: the centroid the collection takes at the switch. */
  centroid: Centroid | null;
}

/** The index collection a migration writes the new vectors into. */
export function shadowName(rec: Pick<MigrationRecord, 'collectionId' | 'to'>): string {
  return indexName({ id: rec.collectionId, generation: rec.to.generation });
}

/** One stored crop re-embedded with the migration's model into its space; what the job items and catch-up passes share. */
export async function embedInto(deps: SpaceDeps, rec: MigrationRecord, face: { id: string; subjectId: string }, crop: Uint8Array): Promise<void> {
  const e = await deps.extractor.embedCrop(crop, { embedder: rec.to.embedder, admitted: true });
  if (e.embedder !== rec.to.embedder || e.dimension !== rec.to.dimension) {
    throw new Error(`the worker embedded with ${e.embedder} (${e.dimension}-d), not ${rec.to.embedder} (${rec.to.dimension}-d)`);
  }
  await deps.index.upsert(shadowName(rec), [{ id: face.id, vector: Float32Array.from(e.feature), payload: { subject_id: face.subjectId, face_id: face.id } }]);
}

/**
 * Walks every face the catalog holds now: one without a vector in the new space (enrolled in a race with the
 * job's snapshot, or its item failed) is re-embedded from its stored crop once more, and the new vectors are
 * summed. What still has no vector afterwards is a failure. Run when the job ends and again under the commit's
 * write fence, when nothing can change underneath.
 */
export async function completeSpace(deps: SpaceDeps, col: CollectionRow, rec: MigrationRecord): Promise<CompletedSpace> {
  const space = shadowName(rec);
  const out: CompletedSpace = { faces: 0, migrated: 0, failed: 0, failures: [], centroid: null };
  const sum = new Float64Array(rec.to.dimension);
  const add = (v: Float32Array) => {
    for (let i = 0; i < sum.length; i++) sum[i]! += v[i]!;
    out.migrated++;
  };
  for await (const page of facePages(deps.catalog, col.id)) {
    const faces = [...page.values()].flat();
    out.faces += faces.length;
    const have = new Map((await deps.index.get(space, faces.map((f) => f.id))).map((r) => [r.id, r.vector]));
    for (const v of have.values()) add(v);
    const missing = faces.filter((f) => !have.has(f.id));
    for (let i = 0; i < missing.length; i += CATCH_UP_CONCURRENCY) {
      await Promise.all(
        missing.slice(i, i + CATCH_UP_CONCURRENCY).map(async (f) => {
          const fail = (code: string, message: string) => {
            out.failed++;
            if (out.failures.length < LISTED) out.failures.push({ face_id: f.id, subject_id: f.subjectId, code, message });
          };
          const crop = await deps.catalog.getCrop(col.id, f.id);
          if (!crop) return fail('crop_not_found', 'No aligned crop is stored for this face (enrolled before crops were kept)');
          try {
            await embedInto(deps, rec, f, crop);
          } catch (err) {
            return fail(isFaceRecError(err) ? err.code : 'embed_failed', (err as Error).message);
          }
          const [stored] = await deps.index.get(space, [f.id]);
          if (stored) add(stored.vector);
          else fail('embed_failed', 'The new vector was not found after writing it');
        }),
      );
    }
  }
  out.centroid = out.migrated > 0 ? { sum, count: out.migrated } : null;
  return out;
}
