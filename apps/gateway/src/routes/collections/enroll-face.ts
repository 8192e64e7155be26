import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { collectionParam, enrollForm, enrollResponse } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';
import { faceSelection, sha256Hex } from '../../services/collections/index.ts';
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
    const select = faceSelection(form.face_index, form.face_box);
    const extraction = await deps.extractor.extract(bytes, { faces: 'primary', select, ...deps.collections.extractOptions(col), liveness: deps.liveness.wanted(form.liveness) });
    const liveness = extraction.faces[0]?.liveness;
    if (extraction.faces[0]) deps.liveness.enforce(extraction.faces[0]);
    const { face, created, faceIndex, faceCount } = await deps.collections.enroll(col, extraction, {
      subjectId: form.subject_id,
      imageSha256: sha256Hex(bytes),
      metadata: form.metadata,
      allowMultiple: form.allow_multiple ?? false,
      allowConflict: form.on_conflict === 'allow',
      chosen: select !== undefined,
    });
    const body = {
      success: true as const,
      face_id: face.id,
      subject_id: face.subjectId,
      created,
      quality: face.quality,
      box: face.box,
      face_index: faceIndex,
      face_count: faceCount,
      ...(liveness ? { liveness } : {}),
    };
    return created ? c.json(body, 201) : c.json(body, 200);
  });
}
