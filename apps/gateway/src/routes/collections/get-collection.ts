import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { collectionParam, collectionResponse } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';
import { collectionView } from './collection-view.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/collections/{name}',
  tags: ['Collections'],
  summary: 'A collection with its counts and the decision rule in force (threshold, and why)',
  request: { params: collectionParam },
  responses: {
    200: { description: 'The collection', content: { 'application/json': { schema: collectionResponse } } },
    ...errorResponses(400, 401, 404, 500),
  },
});

export function mountGetCollection(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const col = await deps.collections.require(c.get('tenant'), c.req.valid('param').name);
    return c.json({ success: true as const, ...collectionView(col, await deps.collections.decision(col)) }, 200);
  });
}
