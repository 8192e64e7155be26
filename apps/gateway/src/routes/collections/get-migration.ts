import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { errorResponses } from '../../schemas/common.ts';
import { migrationParam, migrationResponse } from '../../schemas/migrations.ts';
import { migrationView } from './migration-view.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/collections/{name}/migrations/{migration_id}',
  tags: ['Collections'],
  summary: 'A migration: state, its job\'s progress and, once ready, the report',
  request: { params: migrationParam },
  responses: {
    200: { description: 'The migration', content: { 'application/json': { schema: migrationResponse } } },
    ...errorResponses(400, 401, 404, 500, 503),
  },
});

export function mountGetMigration(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const { name, migration_id } = c.req.valid('param');
    const { migration, job } = await deps.migrations.get(c.get('tenant'), name, migration_id);
    return c.json({ success: true as const, migration: migrationView(migration, name), job }, 200);
  });
}
