import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { collectionParam, enrollForm, enrollResponse } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';
import { enrollPhoto } from '../../services/enrollment/index.ts';
import { fileBytes } from '../../services/primary-face.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/collections/{name}/faces',
  tags: ['Collections'],
  summary: 'Enroll the face in an image under a subject',
  description:
    '201 for a new face; 200 with the existing face for the same image bytes and subject (safe to retry). With several faces the dominant one is enrolled (the photo\'s subject, much more prominent than bystanders); when none dominates, 422 `multiple_faces` lists every face (`details.faces`: index and box) and the client sends `face_index` or `face_box`. 422 `low_quality` when the face fails the quality gate; 422 `spoof_suspected` when LIVENESS=enforce and the passive liveness check fails; 409 `subject_conflict` when identify would name another subject for it at the collection\'s current threshold (unless `on_conflict=allow`).',
  request: { params: collectionParam, body: { required: true, content: { 'multipart/form-data': { schema: enrollForm } } } },
  responses: {
    200: { description: 'Already enrolled: the existing face', content: { 'application/json': { schema: enrollResponse } } },
    201: { description: 'Enrolled', content: { 'application/json': { schema: enrollResponse } } },
    ...errorResponses(400, 401, 404, 409, 413, 415, 422, 500, 503),
  },
});

export function mountEnrollFace(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const col = await deps.collections.require(c.get('tenant'), c.req.valid('param').name);
    const form = c.req.valid('form');
    const bytes = await fileBytes(form.image);
    const enrolled = await enrollPhoto(deps, col, bytes, {
      subjectId: form.subject_id,
      metadata: form.metadata,
      allowMultiple: form.allow_multiple ?? false,
      allowConflict: form.on_conflict === 'allow',
      faceIndex: form.face_index,
      faceBox: form.face_box,
      liveness: form.liveness,
    });
    const body = { success: true as const, ...enrolled };
    return enrolled.created ? c.json(body, 201) : c.json(body, 200);
  });
}
