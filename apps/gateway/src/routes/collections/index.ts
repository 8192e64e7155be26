import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { mountCreateCollection } from './create-collection.ts';
import { mountDeleteCollection } from './delete-collection.ts';
import { mountDeleteFace } from './delete-face.ts';
import { mountDeleteSubject } from './delete-subject.ts';
import { mountEnrollFace } from './enroll-face.ts';
import { mountExportCollection } from './export-collection.ts';
import { mountGetCollection } from './get-collection.ts';
import { mountImportCollection } from './import-collection.ts';
import { mountGetFaceCrop } from './get-face-crop.ts';
import { mountGetSubject } from './get-subject.ts';
import { mountIdentify } from './identify.ts';
import { mountLegacyIdentify } from './legacy-identify.ts';
import { mountListCollections } from './list-collections.ts';
import { mountListSubjects } from './list-subjects.ts';
import { mountSearch } from './search.ts';
import { mountVerify } from './verify.ts';
import { mountCommitMigration } from './commit-migration.ts';
import { mountGetMigration } from './get-migration.ts';
import { mountListMigrations } from './list-migrations.ts';
import { mountRollbackMigration } from './rollback-migration.ts';
import { mountStartMigration } from './start-migration.ts';

/** Collections, enrollment and 1:N identification, plus the old API's /api/identify over them. */
export function mountCollectionRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  mountCreateCollection(app, deps);
  // Before the {name} routes, so 'import' is never taken for a collection name.
  mountImportCollection(app, deps);
  mountListCollections(app, deps);
  mountGetCollection(app, deps);
  mountExportCollection(app, deps);
  mountDeleteCollection(app, deps);
  mountEnrollFace(app, deps);
  mountDeleteFace(app, deps);
  mountListSubjects(app, deps);
  mountGetSubject(app, deps);
  mountGetFaceCrop(app, deps);
  mountDeleteSubject(app, deps);
  mountIdentify(app, deps);
  mountSearch(app, deps);
  mountVerify(app, deps);
  mountLegacyIdentify(app, deps);
  mountStartMigration(app, deps);
  mountListMigrations(app, deps);
  mountGetMigration(app, deps);
  mountCommitMigration(app, deps);
  mountRollbackMigration(app, deps);
}
