import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { elapsedSeconds } from '../../middleware/processing-time/index.ts';
import { errorResponses } from '../../schemas/common.ts';
import { compareFeaturesBody, compareResponse } from '../../schemas/spec.ts';

const route = createRoute({
  method: 'post',
  path: '/api/compare_features',
  tags: ['Spec API'],
  summary: 'Compare two feature vectors (1:1)',
  description: '`similarity` is the raw cosine; `is_same_person` compares it with `threshold` (the request\'s, else the calibrated default).',
  request: { body: { required: true, content: { 'application/json': { schema: compareFeaturesBody } } } },
  responses: {
    200: { description: 'Compared', content: { 'application/json': { schema: compareResponse } } },
    ...errorResponses(400, 413, 415, 500),
  },
});

export function mountCompareFeatures(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, (c) => {
    const body = c.req.valid('json');
    const a = deps.matcher.toVector(body.feature1, 'feature1');
    const b = deps.matcher.toVector(body.feature2, 'feature2');
    return c.json(
      { success: true as const, message: 'Comparison successful', ...deps.matcher.decide(a, b, body.threshold), processing_time: elapsedSeconds(c) },
      200,
    );
  });
}
