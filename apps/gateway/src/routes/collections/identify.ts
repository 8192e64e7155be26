import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { elapsedSeconds } from '../../middleware/processing-time/index.ts';
import { collectionParam, identifyForm, identifyResponse } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';
import { fileBytes } from '../../services/primary-face.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/collections/{name}/identify',
  tags: ['Collections'],
  summary: 'Identify every face in an image (1:N, open set)',
  description:
    'For each face: its box, quality, the top_k most similar subjects (best first; a subject is scored by the template of all its faces), and a `decision`: `match` when the top subject reaches the collection\'s threshold (which keeps the false-positive identification rate at its target for the current gallery size), `unknown` when nobody does (a normal answer), `ambiguous` when two subjects reach it within the calibrated margin. `match` repeats the top candidate when the decision is `match`, else null.',
  request: { params: collectionParam, body: { required: true, content: { 'multipart/form-data': { schema: identifyForm } } } },
  responses: {
    200: { description: 'Identified', content: { 'application/json': { schema: identifyResponse } } },
    ...errorResponses(400, 401, 404, 409, 413, 415, 500, 503),
  },
});

export function mountIdentify(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const col = await deps.collections.require(c.get('tenant'), c.req.valid('param').name);
    const form = c.req.valid('form');
    // Identify never stores anything, so it asks for no crop.
    const extraction = await deps.extractor.extract(await fileBytes(form.image), { faces: 'all', embedder: col.embedder, liveness: deps.liveness.wanted(form.liveness) });
    const { rule, faces } = await deps.collections.identify(col, extraction, { topK: form.top_k, threshold: form.threshold, targetFpir: form.target_fpir });
    const threshold = Number(rule.threshold.toFixed(6));
    return c.json({ success: true as const, threshold, target_fpir: rule.targetFpir, gallery_entries: rule.galleryEntries, faces, processing_time: elapsedSeconds(c) }, 200);
  });
}
