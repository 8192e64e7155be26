import type { Context } from 'hono';

/**
 * The query string as the typed routes' validator sees it, for the streaming routes that validate by hand:
 * a key sent more than once is a list, which the validation hook refuses naming the key (the README's rule),
 * instead of quietly taking its first value.
 */
export function queryValues(c: Context): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));
}
