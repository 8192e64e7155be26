import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { errorResponses } from '../../schemas/common.ts';
import { jobIdParam, jobPage, jobPageQuery } from '../../schemas/jobs.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/jobs/{id}',
  tags: ['Jobs'],
  summary: 'A job\'s state, progress and a page of per-item results',
  request: { params: jobIdParam, query: jobPageQuery },
  responses: {
    200: { description: 'The job', content: { 'application/json': { schema: jobPage } } },
    ...errorResponses(400, 404, 500),
  },
});

export function mountGetJob(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const { cursor, limit } = c.req.valid('query');
    const page = await deps.queue.getBatch(id, { cursor, limit });
    return c.json({ success: true as const, ...page }, 200);
  });
}
