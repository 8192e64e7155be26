import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { collectionResponse, createCollectionBody } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';
import { collectionView } from './collection-view.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/collections',
  tags: ['Collections'],
  summary: 'Create a collection; the service\'s current embedder is pinned to it',
  request: { body: { required: true, content: { 'application/json': { schema: createCollectionBody } } } },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: collectionResponse } } },
    ...errorResponses(400, 401, 409, 415, 422, 500),
  },
});

export function mountCreateCollection(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const body = c.req.valid('json');
    const row = await deps.collections.create(c.get('tenant'), {
      name: body.name,
      threshold: body.threshold,
      targetFpir: body.target_fpir,
      targetFar: body.target_far,
      storeCrops: body.store_crops,
    });
    return c.json({ success: true as const, ...collectionView(row, await deps.collections.decision(row)) }, 201);
  });
}
