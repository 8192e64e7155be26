/**
 * A collection's move to another embedder (the gateway's services/migrations), as the catalog keeps it: the catalog is
 * where every gateway of a fleet agrees on it, and where the final switch happens in one atomic write.
 *
 *   running ─▶ ready ─▶ committing ─▶ committed
 *      │         │                      (the collection now answers with `to`)
 *      └─────────┴──▶ rolled_back | cancelled | failed   (the collection never changed)
 */
export type MigrationState = 'running' | 'ready' | 'committing' | 'committed' | 'rolled_back' | 'cancelled' | 'failed';

/** At most one migration per collection is in one of these at a time. */
export const ACTIVE_MIGRATION_STATES: readonly MigrationState[] = ['running', 'ready', 'committing'];

export interface MigrationSpace {
  embedder: string;
  dimension: number;
  /** The collection generation whose index collection holds these vectors (see indexName). */
  generation: number;
}

export interface MigrationFailure {
  face_id: string;
  subject_id: string | null;
  code: string;
  message: string;
}

/** What a finished re-embedding found: how many faces made it, and whether each subject still holds together. */
export interface MigrationReport {
  faces: number;
  migrated: number;
  failed: number;
  /** The first 100. */
  failures: MigrationFailure[];
  seconds: number;
  faces_per_second: number;
  self_consistency: SelfConsistency;
}

/**
 * Each face of a subject with several faces, scored (centred cosine) against the template of the subject's
 * other faces, under the new model's calibrated per-pair threshold: would verify still accept it as its own
 * subject? `before` is the same check on the old vectors with the old model's threshold.
 */
export interface SelfConsistency {
  threshold: number;
  far: string;
  subjects: number;
  faces: number;
  consistent: number;
  rate: number | null;
  /** The first 50 faces that no longer match their subject. */
  inconsistent: Array<{ subject_id: string; face_id: string; similarity: number }>;
  before: { threshold: number; consistent: number; rate: number | null } | null;
}

export interface MigrationRecord {
  id: string;
  collectionId: string;
  tenant: string;
  from: MigrationSpace;
  to: MigrationSpace;
  state: MigrationState;
  /** The batch job re-embedding every stored crop (GET /v1/jobs/{id}). */
  batchId: string | null;
  autoCommit: boolean;
  createdAt: string;
  /** When it became ready, or reached a terminal state. */
  finishedAt: string | null;
  report: MigrationReport | null;
  /** Why the last commit attempt, or the migration, failed. */
  error: string | null;
  /** The old vector space's index collection was dropped (after a commit) or the new one (after a rollback). */
  cleaned: boolean;
}
