import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { subjectDetail, subjectParam } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';
import { faceView, subjectView } from './collection-view.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/collections/{name}/subjects/{subject_id}',
  tags: ['Collections'],
  summary: 'A subject with its metadata and faces',
  request: { params: subjectParam },
  responses: {
    200: { description: 'The subject', content: { 'application/json': { schema: subjectDetail } } },
    ...errorResponses(400, 401, 404, 500),
  },
});

export function mountGetSubject(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const { name, subject_id } = c.req.valid('param');
    const { subject, faces } = await deps.collections.getSubject(await deps.collections.require(c.get('tenant'), name), subject_id);
    return c.json({ success: true as const, ...subjectView(subject), faces: faces.map(faceView) }, 200);
  });
}
