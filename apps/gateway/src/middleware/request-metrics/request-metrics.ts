import type { Logger } from '@facerec/logger';
import { boundedMethod, type Metrics } from '@facerec/telemetry';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../../app-env.ts';

/** Paths polled by machines: logged at debug so probes and scrapes don't drown the request log. */
const QUIET = new Set(['/health', '/metrics']);

/**
 * The route template that answered (`/v1/collections/{name}/identify`), never the raw path: a label per
 * collection or job id would grow without bound. The handler is the last matched route that is not a
 * middleware (`app.use` registers method ALL with `(c, next)`); none means no route matched.
 */
export function routeTemplate(c: Context): string {
  const handler = matchedRoutes(c)
    .filter((r) => r.method !== 'ALL' || r.handler.length < 2)
    .at(-1);
  return handler ? handler.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}') : 'unmatched';
}

/** Counts and times every request by method, route template and status, and writes one JSON log line for it. */
export function requestMetrics(metrics: Metrics, logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const labels = { method: boundedMethod(c.req.method), route: routeTemplate(c), status: String(c.res.status) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, seconds);
    const line = { method: c.req.method, route: labels.route, path: c.req.path, status: c.res.status, duration_ms: Math.round(seconds * 10_000) / 10 };
    if (QUIET.has(c.req.path)) logger.debug('request', line);
    else logger.info('request', line);
  };
}
