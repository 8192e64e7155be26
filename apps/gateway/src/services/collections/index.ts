export type { Catalog, Centroid, CollectionRow, FaceRow, SubjectRow } from './catalog.ts';
export { createCatalog, type CatalogOptions } from './create-catalog.ts';
export { RedisCatalog } from './redis-catalog.ts';
export { SqliteCatalog } from './sqlite-catalog.ts';
export { CollectionService, type Candidate, type CollectionServiceOptions, type TargetFar } from './collection-service.ts';
export { sha256Hex } from './ids.ts';
export { faceSelection } from './face-selection.ts';
export { DEFAULT_TARGET_FPIR, type DecisionRule, type FaceDecision } from './decision-policy.ts';
export { CursorSigner } from './subject-cursor.ts';
