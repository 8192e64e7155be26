import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { errorResponses } from '../../schemas/common.ts';
import { migrationParam, migrationResponse } from '../../schemas/migrations.ts';
import { migrationView } from './migration-view.ts';

const doc = {
  tags: ['Collections'],
  summary: 'Abandon a migration before its commit: the job stops, the new vectors go, the collection is untouched',
  description: 'After the commit it is too late (409 `migration_committed`); a migration that already ended is answered as it is.',
  request: { params: migrationParam },
  responses: {
    200: { description: 'Rolled back', content: { 'application/json': { schema: migrationResponse } } },
    ...errorResponses(400, 401, 404, 409, 500, 503),
  },
};

const post = createRoute({ method: 'post', path: '/v1/collections/{name}/migrations/{migration_id}/rollback', ...doc });
const del = createRoute({ method: 'delete', path: '/v1/collections/{name}/migrations/{migration_id}', ...doc });

export function mountRollbackMigration(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  for (const route of [post, del]) {
    app.openapi(route, async (c) => {
      const { name, migration_id } = c.req.valid('param');
      const migration = await deps.migrations.rollback(c.get('tenant'), name, migration_id);
      return c.json({ success: true as const, migration: migrationView(migration, name), job: null }, 200);
    });
  }
}
