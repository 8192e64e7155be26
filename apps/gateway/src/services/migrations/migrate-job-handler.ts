import type { Handler } from '@facerec/queue';
import type { Catalog } from '@facerec/collections';
import { embedInto, type SpaceDeps } from './shadow-space.ts';

/**
 * One face of a migration: its stored crop (the item's blob, copied when the job was created) re-embedded
 * with the new model into the shadow space. A face deleted meanwhile, or a migration that ended (rolled back,
 * its collection dropped), is skipped rather than written: its space may be gone. Embedding goes to the face
 * workers as an `embed` job, so a migration scales with the same fleet as everything else.
 */
export function createMigrateJobHandler(deps: SpaceDeps & { catalog: Catalog }): Handler<'migrate'> {
  return async (payload, ctx) => {
    const o = payload.options;
    const rec = await deps.catalog.getMigration(o.collectionId, o.migrationId);
    if (!rec || rec.state !== 'running') return { face_id: o.faceId, skipped: 'migration_ended' };
    if (!(await deps.catalog.getFace(o.collectionId, o.faceId))) return { face_id: o.faceId, skipped: 'face_deleted' };
    await embedInto(deps, rec, { id: o.faceId, subjectId: o.subjectId }, await ctx.readBlob(payload.blobKey));
    return { face_id: o.faceId, subject_id: o.subjectId, embedder: rec.to.embedder };
  };
}
