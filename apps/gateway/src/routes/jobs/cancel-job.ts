import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { errorResponses } from '../../schemas/common.ts';
import { jobIdParam, jobSummary } from '../../schemas/jobs.ts';

const route = createRoute({
  method: 'delete',
  path: '/v1/jobs/{id}',
  tags: ['Jobs'],
  summary: 'Cancel what has not started; running items finish and keep their results',
  request: { params: jobIdParam },
  responses: {
    200: { description: 'The job after cancelling', content: { 'application/json': { schema: jobSummary } } },
    ...errorResponses(404, 500),
  },
});

export function mountCancelJob(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    return c.json({ success: true as const, ...(await deps.queue.cancelBatch(id)) }, 200);
  });
}
