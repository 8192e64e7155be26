import type { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import type { AppEnv } from '../app-env.ts';
import type { GatewayDeps } from '../gateway-deps.ts';

/** The OpenAPI document is generated from the same zod schemas that validate requests, so it cannot drift. */
export function mountDocs(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  if (deps.apiKeys.length > 0) {
    app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer', description: 'One of API_KEYS' });
  }
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'facerec',
      version: deps.version,
      description:
        'Face detection, embedding, 1:1 comparison and 1:N search. Errors share one shape: `{success:false, code, message, processing_time}`.',
    },
    ...(deps.apiKeys.length > 0 ? { security: [{ apiKey: [] }] } : {}),
  });
  app.get('/docs', swaggerUI({ url: '/openapi.json', title: 'facerec API' }));
}
