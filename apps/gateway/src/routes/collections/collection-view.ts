import type { CollectionRow, DecisionRule, FaceRow, SubjectRow } from '@facerec/collections';

const r6 = (v: number) => Number(v.toFixed(6));
const sig = (v: number | null) => (v === null ? null : Number(v.toPrecision(3)));

/** The rule identify and verify decide by now, and why. */
export function decisionView(rule: DecisionRule) {
  return {
    threshold: r6(rule.threshold),
    source: rule.source,
    target_fpir: rule.targetFpir,
    gallery: { subjects: rule.subjects, faces: rule.faces, entries: r6(rule.galleryEntries) },
    per_pair_far: sig(rule.perPairFar),
    fpir: sig(rule.fpir),
    ambiguity_margin: r6(rule.margin),
    verify_threshold: r6(rule.verifyThreshold),
    verify_far: rule.verifyFar,
    explanation: rule.explanation,
  };
}

/** Catalog rows as the API spells them; internal ids and tenants never leave the service. */
export function collectionView(row: CollectionRow, rule: DecisionRule) {
  return {
    name: row.name,
    embedder: row.embedder,
    dimension: row.dimension,
    threshold: r6(rule.threshold),
    target_fpir: rule.targetFpir,
    target_far: row.targetFar,
    store_crops: row.storeCrops,
    created_at: row.createdAt,
    subject_count: rule.subjects,
    face_count: rule.faces,
    decision: decisionView(rule),
  };
}

export function subjectView(row: SubjectRow) {
  return { subject_id: row.subjectId, metadata: row.metadata, face_count: row.faceCount, created_at: row.createdAt };
}

export function faceView(row: FaceRow) {
  return { face_id: row.id, sha256: row.sha256, quality: row.quality, box: row.box, created_at: row.createdAt };
}
