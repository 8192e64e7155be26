import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { errorResponses } from '../../schemas/common.ts';
import { migrationParam, migrationResponse } from '../../schemas/migrations.ts';
import { migrationView } from './migration-view.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/collections/{name}/migrations/{migration_id}/commit',
  tags: ['Collections'],
  summary: 'Switch the collection to the migration\'s embedder, in one step',
  description:
    'Only a `ready` migration whose report has no failures (409 `migration_running`, `migration_incomplete`, `migration_ended` otherwise). Face writes wait (503 `collection_switching`) for the moment of the switch; afterwards every request is answered from the new space and the old vectors are dropped. Committing again answers the committed migration.',
  request: { params: migrationParam },
  responses: {
    200: { description: 'Committed', content: { 'application/json': { schema: migrationResponse } } },
    ...errorResponses(400, 401, 404, 409, 500, 503),
  },
});

export function mountCommitMigration(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const { name, migration_id } = c.req.valid('param');
    const migration = await deps.migrations.commit(c.get('tenant'), name, migration_id);
    return c.json({ success: true as const, migration: migrationView(migration, name), job: null }, 200);
  });
}
