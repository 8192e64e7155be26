import { type CollectionRow, type CollectionService, faceSelection, sha256Hex } from '@facerec/collections';
import type { FaceExtractor } from '../face-extractor.ts';
import type { LivenessPolicy } from '../liveness/liveness-policy.ts';

export interface EnrollPhotoRequest {
  subjectId: string;
  metadata?: Record<string, unknown> | undefined;
  allowMultiple: boolean;
  allowConflict: boolean;
  faceIndex?: number | undefined;
  faceBox?: { x: number; y: number; width: number; height: number } | undefined;
  liveness?: boolean | undefined;
  /** A batch item's extract job was admitted with its batch: it skips the queue's 429 check. */
  admitted?: boolean;
}

/**
 * One photo into a collection, the same way for `POST …/faces` and a batch item: the face chosen (dominant,
 * or the one the client named), the liveness rule, then the collection's enrollment checks. Answers in the
 * API's shape (`enrollResponse`, less `success`).
 */
export async function enrollPhoto(
  deps: { collections: CollectionService; extractor: FaceExtractor; liveness: LivenessPolicy },
  col: CollectionRow,
  bytes: Uint8Array,
  req: EnrollPhotoRequest,
) {
  const select = faceSelection(req.faceIndex, req.faceBox);
  const extraction = await deps.extractor.extract(bytes, {
    faces: 'primary',
    select,
    ...(req.admitted ? { admitted: true } : {}),
    ...deps.collections.extractOptions(col),
    liveness: deps.liveness.wanted(req.liveness),
  });
  const checked = extraction.faces[0]?.liveness;
  if (extraction.faces[0]) deps.liveness.enforce(extraction.faces[0]);
  const { face, created, faceIndex, faceCount } = await deps.collections.enroll(col, extraction, {
    subjectId: req.subjectId,
    imageSha256: sha256Hex(bytes),
    metadata: req.metadata,
    allowMultiple: req.allowMultiple,
    allowConflict: req.allowConflict,
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
}
