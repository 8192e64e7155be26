export { MigrationService, type MigrationServiceDeps } from './migration-service.ts';
export { createMigrateJobHandler } from './migrate-job-handler.ts';
export { migrationShadowWrites } from './shadow-writes.ts';
