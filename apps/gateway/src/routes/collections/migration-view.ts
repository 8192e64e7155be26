import type { MigrationRecord } from '@facerec/collections';

/** A migration as the API shows it: the collection by name, the spaces without their internal generations. */
export function migrationView(rec: MigrationRecord, collection: string) {
  return {
    id: rec.id,
    collection,
    state: rec.state,
    from: { embedder: rec.from.embedder, dimension: rec.from.dimension },
    to: { embedder: rec.to.embedder, dimension: rec.to.dimension },
    auto_commit: rec.autoCommit,
    job_id: rec.batchId,
    created_at: rec.createdAt,
    finished_at: rec.finishedAt,
    report: rec.report,
    error: rec.error,
  };
}
