import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createLogger } from '@facerec/logger';
import { Metrics } from '@facerec/telemetry';
import { expect, it } from 'vitest';
import type { AppEnv } from '../../app-env.ts';
import { requestMetrics } from './request-metrics.ts';

it('labels requests by route template, never by raw path, and counts errors and unmatched paths', async () => {
  const metrics = new Metrics({ defaultMetrics: false });
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requestMetrics(metrics, createLogger('silent')));
  app.use('/v1/*', async (_c, next) => next());
  const identify = createRoute({
    method: 'post',
    path: '/v1/collections/{name}/identify',
    request: { params: z.object({ name: z.string() }) },
    responses: { 200: { description: 'ok' } },
  });
  app.openapi(identify, (c) => c.json({ name: c.req.valid('param').name }, 200));
  app.all('/gone', (c) => c.json({ gone: true }, 410));
  for (const name of ['staff', 'visitors', 'a-b-c']) expect((await app.request(`/v1/collections/${name}/identify`, { method: 'POST' })).status).toBe(200);
  await app.request('/gone');
  await app.request('/v1/collections/staff/unknown-thing', { method: 'POST' });

  const body = (await metrics.exposition()).body;
  expect(body).toContain('facerec_http_requests_total{method="POST",route="/v1/collections/{name}/identify",status="200"} 3');
  expect(body).toContain('facerec_http_requests_total{method="GET",route="/gone",status="410"} 1');
  expect(body).toContain('facerec_http_requests_total{method="POST",route="unmatched",status="404"} 1');
  expect(body).toContain('facerec_http_request_duration_seconds_count{method="POST",route="/v1/collections/{name}/identify",status="200"} 3');
  expect(body).not.toMatch(/staff|visitors|a-b-c/);
});
