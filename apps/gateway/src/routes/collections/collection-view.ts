import type { CollectionRow, FaceRow, SubjectRow } from '../../services/collections/index.ts';

/** Catalog rows as the API spells them; internal ids and tenants never leave the service. */
export function collectionView(row: CollectionRow, counts?: { subject_count: number; face_count: number }) {
  return {
    name: row.name,
    embedder: row.embedder,
    dimension: row.dimension,
    threshold: row.threshold,
    target_far: row.targetFar,
    created_at: row.createdAt,
    ...(counts ?? {}),
  };
}

export function subjectView(row: SubjectRow) {
  return { subject_id: row.subjectId, metadata: row.metadata, face_count: row.faceCount, created_at: row.createdAt };
}

export function faceView(row: FaceRow) {
  return { face_id: row.id, sha256: row.sha256, quality: row.quality, box: row.box, created_at: row.createdAt };
}
