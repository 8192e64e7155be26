import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { CONSOLE_BASE, consoleAssetsDir } from '@facerec/console';
import { ServiceUnavailableError } from '@facerec/errors';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';

/** The console's pages only ever talk to this gateway; nothing inline, nothing from elsewhere. */
const CSP = "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

/**
 * The web console (apps/console, built by `npm run build:console`, which postinstall runs). The files are
 * public like /docs: they hold no data, and every API call the page makes carries the API key the user
 * types in, so the data stays behind the same Bearer check as any other client's.
 */
export function mountConsole(app: OpenAPIHono<AppEnv>, assetsDir = consoleAssetsDir) {
  const built = existsSync(join(assetsDir, 'index.html'));
  app.get(CONSOLE_BASE.slice(0, -1), (c) => c.redirect(CONSOLE_BASE, 301));
  app.use(`${CONSOLE_BASE}*`, async (c, next) => {
    if (!built) throw new ServiceUnavailableError(`The console is not built (no ${assetsDir}index.html): run \`npm run build:console\``, 'console_not_built');
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
  });
  if (built) app.get(`${CONSOLE_BASE}*`, serveStatic({ root: assetsDir, rewriteRequestPath: (path) => path.slice(CONSOLE_BASE.length - 1) }));
}
