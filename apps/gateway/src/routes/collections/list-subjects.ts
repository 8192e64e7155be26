import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { collectionParam, subjectListQuery, subjectPage } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';
import { subjectView } from './collection-view.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/collections/{name}/subjects',
  tags: ['Collections'],
  summary: 'Subjects by subject_id, a page at a time',
  request: { params: collectionParam, query: subjectListQuery },
  responses: {
    200: { description: 'A page of subjects', content: { 'application/json': { schema: subjectPage } } },
    ...errorResponses(400, 401, 404, 500),
  },
});

export function mountListSubjects(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const col = await deps.collections.require(c.get('tenant'), c.req.valid('param').name);
    const { cursor, limit } = c.req.valid('query');
    const page = await deps.collections.listSubjects(col, { cursor: cursor === undefined ? undefined : deps.cursors.open(col.id, cursor), limit });
    const next = page.nextCursor === null ? null : deps.cursors.sign(col.id, page.nextCursor);
    return c.json({ success: true as const, subjects: page.subjects.map(subjectView), next_cursor: next }, 200);
  });
}
