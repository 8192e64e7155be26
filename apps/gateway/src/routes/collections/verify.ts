import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { elapsedSeconds } from '../../middleware/processing-time/index.ts';
import { collectionParam, verifyForm, verifyResponse } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';
import { fileBytes } from '../../services/primary-face.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/collections/{name}/verify',
  tags: ['Collections'],
  summary: 'Is the primary face in the image this enrolled subject? (1:1 against its best face)',
  description: '422 `spoof_suspected` when LIVENESS=enforce and the passive liveness check fails.',
  request: { params: collectionParam, body: { required: true, content: { 'multipart/form-data': { schema: verifyForm } } } },
  responses: {
    200: { description: 'Decided', content: { 'application/json': { schema: verifyResponse } } },
    ...errorResponses(400, 401, 404, 409, 413, 415, 422, 500, 503),
  },
});

export function mountVerify(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const col = await deps.collections.require(c.get('tenant'), c.req.valid('param').name);
    const form = c.req.valid('form');
    // Checked before inference so an unknown subject costs no model run.
    await deps.collections.requireSubject(col, form.subject_id);
    const extraction = await deps.extractor.extract(await fileBytes(form.image), { faces: 'primary', embedder: col.embedder, liveness: deps.liveness.wanted(form.liveness) });
    const liveness = extraction.faces[0]?.liveness;
    if (extraction.faces[0]) deps.liveness.enforce(extraction.faces[0]);
    const r = await deps.collections.verify(col, form.subject_id, extraction, form.threshold);
    return c.json(
      {
        success: true as const,
        subject_id: form.subject_id,
        is_same_person: r.is_same_person,
        similarity: r.similarity,
        threshold: r.threshold,
        face_id: r.face_id,
        ...(liveness ? { liveness } : {}),
        processing_time: elapsedSeconds(c),
      },
      200,
    );
  });
}
