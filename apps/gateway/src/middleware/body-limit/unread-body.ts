import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';

/** Without a limit of its own (an unknown route, say), this much of an unread body is read and dropped. */
const DEFAULT_DRAIN_BYTES = 1024 * 1024;
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;
const DRAIN_MAX_MS = 2_000;

/**
 * How much of a refused body behind a `limit` is read and dropped rather than cut off: a client that
 * overshot (a photo a little over the limit) still reads its 413 on a connection that stays usable, while a
 * body far past the limit (18 MB sent to a 32 KiB route) is not read at all and its connection is closed.
 */
export function drainBudget(limit: number): number {
  return Math.min(MAX_DRAIN_BYTES, Math.max(2 * limit, limit + DEFAULT_DRAIN_BYTES));
}

/**
 * Reads what is left of a body and drops it, chunk by chunk (nothing is kept), until `budget` bytes in all
 * or DRAIN_MAX_MS. True when the body ended within that.
 */
export async function drainRest(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number, alreadyRead = 0): Promise<boolean> {
  let seen = alreadyRead;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), DRAIN_MAX_MS);
  });
  try {
    while (seen <= budget) {
      const next = await Promise.race([reader.read(), late]);
      if (next === 'late') return false;
      if (next.done) return true;
      seen += next.value.byteLength;
    }
    return false;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}

/**
 * For an answer given before the request's body was read to its end (too large, wrong media type, no key,
 * no route). The rest of the body is still on its way, and the connection cannot carry another request
 * until it has passed: within the route's drain budget it is read and dropped, which leaves the connection
 * clean and lets a client that is still sending read the answer; past it the answer says
 * `Connection: close` and the connection ends with it (memory stays flat: nothing more is read).
 */
export async function settleUnreadBody(c: Context<AppEnv>): Promise<void> {
  const raw = c.req.raw;
  if (!raw.body || c.get('bodyEnded')) return;
  if (!c.get('bodyCutOff') && !raw.bodyUsed) {
    const budget = c.get('drainBudget') ?? DEFAULT_DRAIN_BYTES;
    const declared = Number(raw.headers.get('content-length') ?? Number.NaN);
    if (!(declared > budget) && (await drainRest(raw.body.getReader(), budget))) return;
  }
  c.header('Connection', 'close');
}
