import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../app-env.ts';

/** Stamps the arrival time so success and error bodies can both carry the spec's `processing_time`. */
export function processingTime(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('startedAt', performance.now());
    await next();
  };
}

/** Seconds since the request arrived, rounded like the spec's examples (0.235). */
export function elapsedSeconds(c: Context<AppEnv>): number {
  const started = c.get('startedAt') ?? performance.now();
  return Math.round(performance.now() - started) / 1000;
}
