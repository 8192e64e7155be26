import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { collectionList } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';
import { collectionView } from './collection-view.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/collections',
  tags: ['Collections'],
  summary: 'The caller\'s collections, by name',
  responses: {
    200: { description: 'Collections', content: { 'application/json': { schema: collectionList } } },
    ...errorResponses(401, 500),
  },
});

export function mountListCollections(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const rows = await deps.collections.list(c.get('tenant'));
    const collections = await Promise.all(rows.map(async (r) => collectionView(r, await deps.collections.decision(r))));
    return c.json({ success: true as const, collections }, 200);
  });
}
