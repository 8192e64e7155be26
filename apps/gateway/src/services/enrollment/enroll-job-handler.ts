import type { Handler } from '@facerec/queue';
import { type CollectionService, faceSelection, sha256Hex } from '../collections/index.ts';
import type { FaceExtractor } from '../face-extractor.ts';
import type { LivenessPolicy } from '../liveness/liveness-policy.ts';

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
    const select = faceSelection(o.faceIndex, o.faceBox);
    const extraction = await extractor.extract(bytes, { faces: 'primary', select, admitted: true, ...collections.extractOptions(col), liveness: liveness.wanted(o.liveness) });
    const checked = extraction.faces[0]?.liveness;
    if (extraction.faces[0]) liveness.enforce(extraction.faces[0]);
    const { face, created, faceIndex, faceCount } = await collections.enroll(col, extraction, {
      subjectId: o.subjectId,
      imageSha256: sha256Hex(bytes),
      metadata: o.metadata,
      allowMultiple: o.allowMultiple,
      allowConflict: o.allowConflict,
      chosen: select !== undefined,
    });
    return {
      face_id: face.id,
      subject_id: face.subjectId,
      created,
      quality: face.quality,
      box: face.box,
      face_index: faceIndex,
      face_count: faceCount,
      ...(checked ? { liveness: checked } : {}),
    };
  };
}
