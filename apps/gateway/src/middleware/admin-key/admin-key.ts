import { NotFoundError, UnauthorizedError } from '@facerec/errors';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { keyMatcher } from '../api-key/index.ts';

/** Browsers prompt for Basic credentials on this challenge, which is how a person opens the dashboard. */
const CHALLENGE = 'Basic realm="facerec admin", charset="UTF-8"';

/** The key from `Bearer <key>`, or the password of `Basic base64(<any user>:<key>)`. */
function presentedKey(authorization: string): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : undefined;
}

/**
 * Operator pages (/admin/*) need one of ADMIN_API_KEYS, a set separate from the users' API_KEYS (a user's key
 * never opens them), kept as digests and compared in constant time like the API keys. Without admin keys the
 * pages are off: 404, saying how to turn them on.
 */
export function adminKeyAuth(keys: readonly string[]): MiddlewareHandler<AppEnv> {
  const matcher = keyMatcher(keys);
  return async (c, next) => {
    if (matcher.size === 0) {
      throw new NotFoundError('The operator pages are off: set ADMIN_API_KEYS to open /admin/queues', 'admin_disabled');
    }
    const key = presentedKey(c.req.header('authorization') ?? '');
    if (key === undefined || !matcher.match(key)) {
      c.header('WWW-Authenticate', CHALLENGE);
      throw new UnauthorizedError(key === undefined ? 'An admin key is required (Authorization: Bearer <key>, or Basic with the key as password)' : 'The admin key is not valid');
    }
    return next();
  };
}
