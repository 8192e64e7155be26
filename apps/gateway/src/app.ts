import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.ts';
import { errorResponder, notFoundResponder, validationHook } from './errors/index.ts';
import type { GatewayDeps } from './gateway-deps.ts';
import { apiKeyAuth } from './middleware/api-key/index.ts';
import { bodyLimit, SMALL_JSON_BODY_BYTES, streamingBodyLimit, vectorBodyLimit } from './middleware/body-limit/index.ts';
import { requestId } from './middleware/request-id/index.ts';
import { requestMetrics } from './middleware/request-metrics/index.ts';
import { processingTime } from './middleware/processing-time/index.ts';
import { mountQueueDashboard } from './routes/admin/queue-dashboard.ts';
import { mountCollectionRoutes } from './routes/collections/index.ts';
import { mountConsole } from './routes/console.ts';
import { mountDocs } from './routes/docs.ts';
import { mountHealth } from './routes/health.ts';
import { mountJobRoutes } from './routes/jobs/index.ts';
import { mountMetrics } from './routes/metrics.ts';
import { mountSpecRoutes } from './routes/spec/index.ts';

export function createApp(deps: GatewayDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  // Outermost: every response, errors and 404s included, carries the request id and is counted.
  app.use('*', requestId());
  app.use('*', requestMetrics(deps.metrics, deps.logger));
  app.use('*', processingTime());
  // JSON routes first, each limited to its largest valid request: the upload limits below would let a
  // chunked 18 MB "vector" be gathered before any route looked at it.
  app.use('/api/compare_features', bodyLimit(vectorBodyLimit(deps.model.dimension, 2)));
  app.use('/v1/collections/:name/search', bodyLimit(vectorBodyLimit(deps.model.dimension, 1)));
  app.use('/v1/collections', bodyLimit(SMALL_JSON_BODY_BYTES));
  app.use('/api/*', bodyLimit(deps.maxBodyBytes));
  app.use('/v1/jobs/*', streamingBodyLimit(deps.maxBatchBodyBytes));
  // An import carries a whole collection (crops included): it gets the batch limit, every other collection route the usual one.
  const collectionLimit = bodyLimit(deps.maxBodyBytes);
  const importLimit = streamingBodyLimit(deps.maxBatchBodyBytes);
  app.use('/v1/collections/*', (c, next) => (c.req.path === '/v1/collections/import' ? importLimit(c, next) : collectionLimit(c, next)));
  // Before the routes, so an unauthenticated request never reaches a body parser or a model.
  const auth = apiKeyAuth(deps.apiKeys);
  app.use('/v1/*', auth);
  app.use('/api/*', auth);
  app.onError(errorResponder(deps.logger));
  app.notFound(notFoundResponder);

  mountHealth(app, deps);
  mountSpecRoutes(app, deps);
  mountJobRoutes(app, deps);
  mountCollectionRoutes(app, deps);
  mountDocs(app, deps);
  mountMetrics(app, deps);
  mountQueueDashboard(app, deps);
  mountConsole(app);
  return app;
}
