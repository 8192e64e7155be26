import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import type { GatewayDeps } from '../gateway-deps.ts';

const route = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['Operations'],
  summary: 'Prometheus metrics of this process (text exposition format)',
  description: 'Open like /health: labels are bounded and name no collection, subject, face or key. README "Metrics" lists every series.',
  responses: { 200: { description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: z.string() } } } },
});

/** Scraped by Prometheus; what it reads is listed in README "Metrics" and charted by infra/grafana. */
export function mountMetrics(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const { contentType, body } = await deps.metrics.exposition();
    return c.text(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
  });
}
