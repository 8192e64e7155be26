import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { okResponse, subjectParam } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';

const route = createRoute({
  method: 'delete',
  path: '/v1/collections/{name}/subjects/{subject_id}',
  tags: ['Collections'],
  summary: 'Delete a subject and all its faces',
  request: { params: subjectParam },
  responses: {
    200: { description: 'Deleted', content: { 'application/json': { schema: okResponse } } },
    ...errorResponses(400, 401, 404, 500),
  },
});

export function mountDeleteSubject(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const { name, subject_id } = c.req.valid('param');
    await deps.collections.deleteSubject(await deps.collections.require(c.get('tenant'), name), subject_id);
    return c.json({ success: true as const, deleted: true }, 200);
  });
}
