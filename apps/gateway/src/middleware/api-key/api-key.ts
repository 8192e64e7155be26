import { UnauthorizedError } from '@facerec/errors';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { keyMatcher } from './key-digests.ts';

/** The tenant every request belongs to when no API keys are configured. */
export const OPEN_TENANT = 'public';

/**
 * Bearer API keys, kept and compared as digests (see keyMatcher). The tenant is derived from the digest:
 * stable across restarts and never the key itself, so it can be stored next to what the key owns.
 * With no keys configured every request is the open tenant.
 */
export function apiKeyAuth(keys: readonly string[]): MiddlewareHandler<AppEnv> {
  const matcher = keyMatcher(keys);
  return async (c, next) => {
    if (matcher.size === 0) {
      c.set('tenant', OPEN_TENANT);
      return next();
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!m) throw new UnauthorizedError();
    const found = matcher.match(m[1]!);
    if (!found) throw new UnauthorizedError('The API key is not valid');
    c.set('tenant', `k_${found.toString('hex').slice(0, 16)}`);
    return next();
  };
}
