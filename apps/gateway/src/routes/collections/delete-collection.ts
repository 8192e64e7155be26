import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { collectionParam, okResponse } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';

const route = createRoute({
  method: 'delete',
  path: '/v1/collections/{name}',
  tags: ['Collections'],
  summary: 'Delete a collection with every subject, face and vector in it',
  request: { params: collectionParam },
  responses: {
    200: { description: 'Deleted', content: { 'application/json': { schema: okResponse } } },
    ...errorResponses(400, 401, 404, 500),
  },
});

export function mountDeleteCollection(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    await deps.collections.drop(c.get('tenant'), c.req.valid('param').name);
    return c.json({ success: true as const, deleted: true }, 200);
  });
}
