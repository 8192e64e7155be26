export {
  type Catalog,
  type Centroid,
  type CollectionRow,
  type FaceRow,
  HIDDEN_NAME_PREFIX,
  type ImportedSubject,
  indexName,
  type SubjectRow,
} from './catalog.ts';
export { createCatalog, type CatalogOptions } from './create-catalog.ts';
export { RedisCatalog } from './redis-catalog.ts';
export { SqliteCatalog } from './sqlite-catalog.ts';
export { CollectionService, type Candidate, type CollectionServiceOptions, type ShadowWrites, type TargetFar } from './collection-service.ts';
export { faceIdFor, newCollectionId, sha256Hex } from './ids.ts';
export { faceSelection } from './face-selection.ts';
export { cropMediaType } from './crop-media-type.ts';
export { DEFAULT_TARGET_FPIR, DEFAULT_VERIFY_FAR, decisionRule, type DecisionRule, type FaceDecision } from './decision-policy.ts';
export { SubjectScorer } from './subject-scorer.ts';
export { CursorSigner } from './subject-cursor.ts';
export {
  ACTIVE_MIGRATION_STATES,
  type MigrationFailure,
  type MigrationRecord,
  type MigrationReport,
  type MigrationSpace,
  type MigrationState,
  type SelfConsistency,
} from './migration-record.ts';
