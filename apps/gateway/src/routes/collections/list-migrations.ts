import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { collectionParam } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';
import { migrationListResponse } from '../../schemas/migrations.ts';
import { migrationView } from './migration-view.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/collections/{name}/migrations',
  tags: ['Collections'],
  summary: 'The collection\'s migrations, newest first',
  request: { params: collectionParam },
  responses: {
    200: { description: 'Migrations', content: { 'application/json': { schema: migrationListResponse } } },
    ...errorResponses(400, 401, 404, 500, 503),
  },
});

export function mountListMigrations(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const { name } = c.req.valid('param');
    const list = await deps.migrations.list(c.get('tenant'), name);
    return c.json({ success: true as const, migrations: list.map((m) => migrationView(m, name)) }, 200);
  });
}
