import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { elapsedSeconds } from '../../middleware/processing-time/index.ts';
import { errorResponses } from '../../schemas/common.ts';
import { extractFeatureForm, extractFeatureResponse } from '../../schemas/spec.ts';
import { fileBytes, primaryFace } from '../../services/primary-face.ts';

const route = createRoute({
  method: 'post',
  path: '/api/extract_feature',
  tags: ['Spec API'],
  summary: 'Extract the feature vector of the primary face in an image',
  description:
    'Detects every face, picks the largest (ties: nearest the centre), aligns and embeds it. `quality_passed` is false when the face has a blocking quality reason; the feature is still returned so the caller decides.',
  request: { body: { required: true, content: { 'multipart/form-data': { schema: extractFeatureForm } } } },
  responses: {
    200: { description: 'Feature extracted', content: { 'application/json': { schema: extractFeatureResponse } } },
    ...errorResponses(400, 413, 415, 500, 503),
  },
});

export function mountExtractFeature(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const { image, flip_tta, liveness } = c.req.valid('form');
    const extraction = await deps.extractor.extract(await fileBytes(image), { faces: 'primary', flipTta: flip_tta, liveness: deps.liveness.wanted(liveness) });
    const face = primaryFace(extraction);
    return c.json(
      {
        success: true as const,
        message: 'Feature extracted successfully',
        feature: face.feature,
        feature_dim: face.feature.length,
        quality_passed: face.quality.passed,
        processing_time: elapsedSeconds(c),
        face_count: extraction.face_count,
        box: face.box,
        landmarks: face.landmarks,
        detection_score: face.score,
        quality: face.quality,
        model: extraction.model,
        ...(face.liveness ? { liveness: face.liveness } : {}),
      },
      200,
    );
  });
}
