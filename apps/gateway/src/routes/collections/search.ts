import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { elapsedSeconds } from '../../middleware/processing-time/index.ts';
import { collectionParam, searchBody, searchResponse } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/collections/{name}/search',
  tags: ['Collections'],
  summary: 'The top_k faces nearest a raw feature vector',
  request: { params: collectionParam, body: { required: true, content: { 'application/json': { schema: searchBody } } } },
  responses: {
    200: { description: 'Nearest faces, best first', content: { 'application/json': { schema: searchResponse } } },
    ...errorResponses(400, 401, 404, 415, 500),
  },
});

export function mountSearch(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const col = await deps.collections.require(c.get('tenant'), c.req.valid('param').name);
    const { vector, top_k } = c.req.valid('json');
    const hits = await deps.collections.search(col, vector, top_k);
    return c.json({ success: true as const, hits, processing_time: elapsedSeconds(c) }, 200);
  });
}
