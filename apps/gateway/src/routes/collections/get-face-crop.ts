import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { subjectFaceParam } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';
import { cropMediaType } from '@facerec/collections';

const route = createRoute({
  method: 'get',
  path: '/v1/collections/{name}/subjects/{subject_id}/faces/{face_id}/crop',
  tags: ['Collections'],
  summary: 'The aligned 112x112 face crop stored with an enrolled face (for review)',
  description:
    'The face exactly as the embedder saw it, aligned to the ArcFace template (JPEG). 404 `crop_not_found` when the collection keeps no crops (`store_crops: false`) or the face was enrolled before crops were kept. Deleting the face, its subject or the collection deletes the crop.',
  request: { params: subjectFaceParam },
  responses: {
    200: { description: 'The crop', content: { 'image/jpeg': { schema: z.string().openapi({ type: 'string', format: 'binary' }) } } },
    ...errorResponses(400, 401, 404, 500, 503),
  },
});

export function mountGetFaceCrop(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const { name, subject_id, face_id } = c.req.valid('param');
    const crop = await deps.collections.getCrop(await deps.collections.require(c.get('tenant'), name), subject_id, face_id);
    // A face's crop never changes (a re-enrollment of another image is another face id).
    return c.body(new Uint8Array(crop), 200, { 'content-type': cropMediaType(crop), 'cache-control': 'private, max-age=3600' });
  });
}
