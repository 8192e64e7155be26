import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { faceParam, okResponse } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';

const route = createRoute({
  method: 'delete',
  path: '/v1/collections/{name}/faces/{face_id}',
  tags: ['Collections'],
  summary: 'Delete one enrolled face (the subject stays)',
  request: { params: faceParam },
  responses: {
    200: { description: 'Deleted', content: { 'application/json': { schema: okResponse } } },
    ...errorResponses(400, 401, 404, 500),
  },
});

export function mountDeleteFace(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const { name, face_id } = c.req.valid('param');
    await deps.collections.deleteFace(await deps.collections.require(c.get('tenant'), name), face_id);
    return c.json({ success: true as const, deleted: true }, 200);
  });
}
