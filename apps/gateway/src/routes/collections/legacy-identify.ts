import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { elapsedSeconds } from '../../middleware/processing-time/index.ts';
import { legacyIdentifyForm, legacyIdentifyResponse } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';
import { fileBytes } from '../../services/primary-face.ts';

const route = createRoute({
  method: 'post',
  path: '/api/identify',
  tags: ['Spec API'],
  summary: 'Identify the primary face against a collection (default: `default`), in the original API\'s response style',
  description: '`user_id` is the matched subject_id, or null when no enrolled subject reaches the threshold (`decision: unknown`) or two do within the calibrated margin (`decision: ambiguous`). The threshold follows the collection\'s gallery size, as in /v1/collections/{name}/identify.',
  request: { body: { required: true, content: { 'multipart/form-data': { schema: legacyIdentifyForm } } } },
  responses: {
    200: { description: 'Identified', content: { 'application/json': { schema: legacyIdentifyResponse } } },
    ...errorResponses(400, 401, 404, 409, 413, 415, 500, 503),
  },
});

export function mountLegacyIdentify(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const form = c.req.valid('form');
    const col = await deps.collections.require(c.get('tenant'), form.collection);
    const extraction = await deps.extractor.extract(await fileBytes(form.image), { faces: 'primary', embedder: col.embedder });
    const { rule, faces } = await deps.collections.identify(col, extraction, { topK: 1, threshold: form.threshold, targetFpir: form.target_fpir });
    const face = faces[0]!;
    const messages = { match: 'Match found', unknown: 'No matching person found', ambiguous: 'Ambiguous: more than one person matches' } as const;
    return c.json(
      {
        success: true as const,
        message: messages[face.decision],
        user_id: face.match?.subject_id ?? null,
        similarity: face.top?.similarity ?? null,
        threshold: Number(rule.threshold.toFixed(6)),
        decision: face.decision,
        margin: face.top?.margin ?? null,
        estimated_fpir: face.top?.estimated_fpir ?? null,
        processing_time: elapsedSeconds(c),
      },
      200,
    );
  });
}
