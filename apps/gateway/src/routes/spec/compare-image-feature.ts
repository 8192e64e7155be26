import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { elapsedSeconds } from '../../middleware/processing-time/index.ts';
import { errorResponses } from '../../schemas/common.ts';
import { compareImageFeatureForm, compareImageFeatureResponse } from '../../schemas/spec.ts';
import { fileBytes, primaryFace } from '../../services/primary-face.ts';

const route = createRoute({
  method: 'post',
  path: '/api/compare_image_feature',
  tags: ['Spec API'],
  summary: 'Compare the primary face of an image with a stored feature vector (1:1)',
  request: { body: { required: true, content: { 'multipart/form-data': { schema: compareImageFeatureForm } } } },
  responses: {
    200: { description: 'Compared', content: { 'application/json': { schema: compareImageFeatureResponse } } },
    ...errorResponses(400, 413, 415, 500, 503),
  },
});

export function mountCompareImageFeature(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const form = c.req.valid('form');
    // Check the cheap field first so a bad vector never costs an inference.
    const stored = deps.matcher.parseVectorField(form.feature, 'feature');
    const extraction = await deps.extractor.extract(await fileBytes(form.image), { faces: 'primary', flipTta: form.flip_tta });
    const face = primaryFace(extraction);
    return c.json(
      {
        success: true as const,
        message: 'Comparison successful',
        ...deps.matcher.decide(face.feature, stored, form.threshold),
        processing_time: elapsedSeconds(c),
        face_count: extraction.face_count,
        quality_passed: face.quality.passed,
        quality: face.quality,
        box: face.box,
        model: extraction.model,
      },
      200,
    );
  });
}
