import { type CollectionRow, type CollectionService, decisionRule, DEFAULT_VERIFY_FAR, indexName, type MigrationRecord, type MigrationReport, SubjectScorer } from '@facerec/collections';
import { facePages } from './collection-walk.ts';
import { ConsistencyTally } from './self-consistency.ts';
import { type CompletedSpace, shadowName, type SpaceDeps } from './shadow-space.ts';

/**
 * What a finished re-embedding found: faces migrated and failed, and the self-consistency check in both
 * spaces. The new space is judged at the new model's calibrated verify threshold at the collection's
 * target FAR (a fixed collection threshold belongs to the old model's scale, so it is not used); the old
 * space at the threshold the collection verifies with now.
 */
export async function migrationReport(
  deps: SpaceDeps & { collections: CollectionService },
  col: CollectionRow,
  rec: MigrationRecord,
  space: CompletedSpace,
  seconds: number,
): Promise<MigrationReport> {
  const target = { ...col, embedder: rec.to.embedder, dimension: rec.to.dimension };
  const calTo = deps.collections.calibrationOf(target);
  const calFrom = deps.collections.calibrationOf(col);
  const counts = { subjects: await deps.catalog.countSubjects(col.id), faces: await deps.catalog.countFaces(col.id) };
  const far = col.targetFar ?? DEFAULT_VERIFY_FAR;
  const thresholdTo = decisionRule({ ...target, threshold: null, targetFar: far }, calTo, counts).verifyThreshold;
  const thresholdFrom = (await deps.collections.decision(col)).verifyThreshold;
  const muTo = SubjectScorer.mean(space.centroid, rec.to.dimension, calTo?.centroid_prior_faces ?? 0);
  const muFrom = SubjectScorer.mean(await deps.catalog.getCentroid(col.id), col.dimension, calFrom?.centroid_prior_faces ?? 0);
  const after = new ConsistencyTally(muTo, thresholdTo);
  const before = new ConsistencyTally(muFrom, thresholdFrom);
  for await (const page of facePages(deps.catalog, col.id)) {
    const ids = [...page.values()].flat().map((f) => f.id);
    const [newer, older] = await Promise.all([deps.index.get(shadowName(rec), ids), deps.index.get(indexName(col), ids)]);
    const n = new Map(newer.map((r) => [r.id, r.vector]));
    const o = new Map(older.map((r) => [r.id, r.vector]));
    for (const [subjectId, faces] of page) {
      after.add(subjectId, faces.flatMap((f) => (n.has(f.id) ? [{ id: f.id, vector: n.get(f.id)! }] : [])));
      before.add(subjectId, faces.flatMap((f) => (o.has(f.id) ? [{ id: f.id, vector: o.get(f.id)! }] : [])));
    }
  }
  const b = before.result();
  return {
    faces: space.faces,
    migrated: space.migrated,
    failed: space.failed,
    failures: space.failures,
    seconds: Number(seconds.toFixed(3)),
    faces_per_second: seconds > 0 ? Number((space.migrated / seconds).toFixed(2)) : 0,
    self_consistency: {
      threshold: Number(thresholdTo.toFixed(6)),
      far,
      ...after.result(),
      before: { threshold: Number(thresholdFrom.toFixed(6)), consistent: b.consistent, rate: b.rate },
    },
  };
}
