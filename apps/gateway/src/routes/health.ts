import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import type { GatewayDeps } from '../gateway-deps.ts';
import { modelSchema } from '../schemas/common.ts';

const healthSchema = z
  .object({
    success: z.boolean(),
    status: z.enum(['ok', 'unavailable']),
    message: z.string(),
    mode: z.enum(['embedded', 'fleet']),
    model: modelSchema,
    threshold: z.object({ value: z.number(), source: z.string() }),
    version: z.string(),
    uptime_s: z.number(),
  })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Operations'],
  summary: 'Readiness: 200 once the models are loaded (or workers reachable), else 503',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: healthSchema } } },
    503: { description: 'Not ready', content: { 'application/json': { schema: healthSchema } } },
  },
});

export function mountHealth(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  const started = Date.now();
  app.openapi(route, async (c) => {
    const status = await deps.extractor.status();
    const body = {
      success: status.ready,
      status: status.ready ? ('ok' as const) : ('unavailable' as const),
      message: status.detail,
      mode: deps.extractor.mode,
      model: deps.model,
      threshold: deps.matcher.threshold,
      version: deps.version,
      uptime_s: Math.round((Date.now() - started) / 1000),
    };
    return status.ready ? c.json(body, 200) : c.json(body, 503);
  });
}
