import type { Handler } from '@facerec/queue';
import type { CollectionService } from '@facerec/collections';
import type { FaceExtractor } from '../face-extractor.ts';
import type { LivenessPolicy } from '../liveness/liveness-policy.ts';
import { enrollPhoto } from './enroll-photo.ts';

/**
 * One item of a batch enrollment, run by a process that holds the collection store (every gateway). The
 * face work itself goes to the face workers as an ordinary extract job, so enrollment scales with the same
 * fleet as everything else; this handler only waits for it and writes the result.
 *
 * Outcomes follow the job rules: bad images, faces failing the quality gate, conflicts and a collection
 * dropped meanwhile are permanent (the item fails with its code and reasons); a busy or restarting fleet
 * throws a transient error and the item is retried. A retry is safe: the face id is derived from the
 * collection, subject and image bytes, so a second run finds the first one's face.
 */
export function createEnrollJobHandler(collections: CollectionService, extractor: FaceExtractor, liveness: LivenessPolicy): Handler<'enroll'> {
  return async (payload, ctx) => {
    const o = payload.options;
    const col = await collections.requireById(o.tenant, o.collectionId);
    const bytes = await ctx.readBlob(payload.blobKey);
    return enrollPhoto({ collections, extractor, liveness }, col, bytes, {
      subjectId: o.subjectId,
      metadata: o.metadata,
      allowMultiple: o.allowMultiple,
      allowConflict: o.allowConflict,
      faceIndex: o.faceIndex,
      faceBox: o.faceBox,
      liveness: o.liveness,
      admitted: true,
    });
  };
}
