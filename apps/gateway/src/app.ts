import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.ts';
import { errorResponder, notFoundResponder, validationHook } from './errors/index.ts';
import type { GatewayDeps } from './gateway-deps.ts';
import { apiKeyAuth } from './middleware/api-key/index.ts';
import { bodyLimit } from './middleware/body-limit/index.ts';
import { processingTime } from './middleware/processing-time/index.ts';
import { mountCollectionRoutes } from './routes/collections/index.ts';
import { mountDocs } from './routes/docs.ts';
import { mountHealth } from './routes/health.ts';
import { mountJobRoutes } from './routes/jobs/index.ts';
import { mountSpecRoutes } from './routes/spec/index.ts';

export function createApp(deps: GatewayDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', processingTime());
  app.use('/api/*', bodyLimit(deps.maxBodyBytes));
  app.use('/v1/jobs/*', bodyLimit(deps.maxBatchBodyBytes));
  // An import carries a whole collection (crops included): it gets the batch limit, every other collection route the usual one.
  const collectionLimit = bodyLimit(deps.maxBodyBytes);
  const importLimit = bodyLimit(deps.maxBatchBodyBytes);
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
  return app;
}
