export type { Catalog, CollectionRow, FaceRow, SubjectRow } from './catalog.ts';
export { createCatalog, type CatalogOptions } from './create-catalog.ts';
export { RedisCatalog } from './redis-catalog.ts';
export { SqliteCatalog } from './sqlite-catalog.ts';
export { CollectionService, type Candidate, type CollectionServiceOptions, type TargetFar } from './collection-service.ts';
export { sha256Hex } from './ids.ts';
export { CursorSigner } from './subject-cursor.ts';
