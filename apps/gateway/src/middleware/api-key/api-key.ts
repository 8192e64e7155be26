import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '@facerec/errors';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../app-env.ts';

/** The tenant every request belongs to when no API keys are configured. */
export const OPEN_TENANT = 'public';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Bearer API keys. Only sha256 digests are kept, and every configured digest is compared (constant time, no
 * early exit) so neither the key nor which entry matched shows in the timing. The tenant is derived from the
 * digest: stable across restarts and never the key itself, so it can be stored next to what the key owns.
 * With no keys configured every request is the open tenant.
 */
export function apiKeyAuth(keys: readonly string[]): MiddlewareHandler<AppEnv> {
  const digests = keys.map(sha256);
  return async (c, next) => {
    if (digests.length === 0) {
      c.set('tenant', OPEN_TENANT);
      return next();
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!m) throw new UnauthorizedError();
    const presented = sha256(m[1]!);
    let found: Buffer | undefined;
    for (const d of digests) if (timingSafeEqual(d, presented)) found ??= d;
    if (!found) throw new UnauthorizedError('The API key is not valid');
    c.set('tenant', `k_${found.toString('hex').slice(0, 16)}`);
    return next();
  };
}
