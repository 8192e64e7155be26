import { NotFoundError } from '@facerec/errors';
import type { CollectionRow, MigrationRecord, ShadowWrites } from '@facerec/collections';
import { embedInto, shadowName, type SpaceDeps } from './shadow-space.ts';

/**
 * Enrollments and deletes during a migration also reach its new space, so the commit finds every face
 * there. Only a migration from the space the caller wrote to counts; one that ended meanwhile (its space
 * dropped) is no reason to fail the enrollment.
 */
export function migrationShadowWrites(deps: SpaceDeps): ShadowWrites {
  const target = async (col: CollectionRow): Promise<MigrationRecord | null> => {
    const rec = await deps.catalog.activeMigration(col.id);
    return rec && rec.from.generation === col.generation ? rec : null;
  };
  const tolerateEnded = async (col: CollectionRow, rec: MigrationRecord, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      const now = await deps.catalog.getMigration(col.id, rec.id);
      if (err instanceof NotFoundError && (!now || (now.state !== 'running' && now.state !== 'ready'))) return;
      throw err;
    }
  };
  return {
    async enrolled(col, face) {
      const rec = await target(col);
      // Without a crop the commit's catch-up reports the face as failed, naming why.
      if (!rec || !face.crop) return;
      await tolerateEnded(col, rec, () => embedInto(deps, rec, face, face.crop!));
    },
    async deleted(col, what) {
      const rec = await target(col);
      if (!rec) return;
      const space = shadowName(rec);
      await tolerateEnded(col, rec, () => ('faceIds' in what ? deps.index.delete(space, what.faceIds) : deps.index.deleteBySubject(space, what.subjectId)));
    },
  };
}
