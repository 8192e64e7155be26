import { ReplyError } from 'ioredis';

const CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const MESSAGES =
  /Connection is closed|Stream isn't writeable|enableOfflineQueue|Command timed out|max retries per request|MaxRetriesPerRequest|Socket closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|^LOADING /i;

/**
 * Whether `err` says Redis could not be reached (refused, reset, closed, not answering, still loading its data
 * after a restart), as opposed to Redis answering with an error, which is a bug of ours and stays one.
 */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof ReplyError) return /^LOADING /.test(err.message);
  const code = (err as NodeJS.ErrnoException).code;
  return (code !== undefined && CODES.has(code)) || MESSAGES.test(err.message);
}

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
