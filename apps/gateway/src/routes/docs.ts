import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import type { GatewayDeps } from '../gateway-deps.ts';

/** swagger-ui-dist as installed by npm: the page needs nothing from the internet (air-gapped networks). */
const SWAGGER_DIST = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

// Everything from this origin; the browser itself refuses anything else, so a stray external URL shows at once.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>facerec API</title>
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io for a badge.
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });\n`;

const cache = new Map<string, Buffer>();
async function asset(name: string): Promise<Buffer> {
  let bytes = cache.get(name);
  if (!bytes) {
    bytes = await readFile(join(SWAGGER_DIST, name));
    cache.set(name, bytes);
  }
  return bytes;
}

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
  app.get('/docs', (c) => c.html(PAGE, 200, { 'content-security-policy': CSP }));
  app.get('/docs/init.js', (c) => c.body(INIT, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/docs/assets/:file', async (c) => {
    const name = c.req.param('file');
    const type = ASSETS[name];
    if (!type) return c.notFound();
    return c.body(new Uint8Array(await asset(name)), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
}
