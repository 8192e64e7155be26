import { ServiceUnavailableError, TooManyRequestsError, UpstreamError, type FaceRecError } from '@facerec/errors';

/**
 * How a failed call to Qdrant is classified. js-client-rest 1.19 throws: an ApiError subclass with `status`,
 * `statusText` ("Bad Request") and `data` (Qdrant's `{status: {error: "<reason>"}, time}`) for HTTP errors;
 * QdrantClientTimeoutError when its own timer aborts the request; QdrantClientResourceExhaustedError (with
 * `retry_after`) for a 429 carrying Retry-After; and fetch's `TypeError: fetch failed` (the socket error in
 * `cause`) when nothing answered at all.
 */
export type QdrantFailure =
  | { kind: 'http'; status: number; reason: string; qdrantBody: boolean; retryAfter: number | undefined }
  | { kind: 'timeout'; reason: string }
  | { kind: 'connection'; reason: string }
  | { kind: 'other' };

function reasonOf(data: unknown): { reason: string | undefined; qdrantBody: boolean } {
  const error = (data as { status?: { error?: unknown } } | null | undefined)?.status?.error;
  if (typeof error === 'string') return { reason: error, qdrantBody: true };
  if (typeof data === 'string' && data.trim() !== '') return { reason: data.trim().slice(0, 200), qdrantBody: false };
  return { reason: undefined, qdrantBody: false };
}

export function classifyQdrantError(err: unknown): QdrantFailure {
  if (!(err instanceof Error)) return { kind: 'other' };
  if (err.name === 'QdrantClientTimeoutError') return { kind: 'timeout', reason: err.message || 'request aborted' };
  if (err.name === 'QdrantClientResourceExhaustedError') {
    const retryAfter = (err as { retry_after?: unknown }).retry_after;
    return { kind: 'http', status: 429, reason: err.message || 'Too Many Requests', qdrantBody: false, retryAfter: typeof retryAfter === 'number' ? retryAfter : undefined };
  }
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number') {
    const { reason, qdrantBody } = reasonOf((err as { data?: unknown }).data);
    const header = (err as { headers?: Headers }).headers?.get?.('retry-after');
    const retryAfter = header != null && Number.isFinite(Number(header)) ? Number(header) : undefined;
    return { kind: 'http', status, reason: reason ?? (err.message || `HTTP ${status}`), qdrantBody, retryAfter };
  }
  if (err instanceof TypeError && err.message === 'fetch failed') {
    // A host with several addresses fails with an AggregateError of one error per address.
    const raw = err.cause instanceof AggregateError && err.cause.errors.length > 0 ? err.cause.errors[0] : err.cause;
    const cause = raw as { code?: unknown; message?: unknown } | undefined;
    const code = typeof cause?.code === 'string' ? cause.code : undefined;
    const message = typeof cause?.message === 'string' ? cause.message : 'fetch failed';
    return { kind: 'connection', reason: code && !message.includes(code) ? `${code}: ${message}` : message };
  }
  return { kind: 'other' };
}

/** Worth another attempt: nothing was applied, or the operation is idempotent and a proxy/node was briefly down. */
export function isTransient(f: QdrantFailure): boolean {
  return f.kind === 'connection' || (f.kind === 'http' && (f.status === 502 || f.status === 503 || f.status === 504));
}

/** "Already exists" is the one refusal of a create that means someone else won the race. */
export function isAlreadyExists(f: QdrantFailure): boolean {
  return f.kind === 'http' && (f.status === 409 || (f.status === 400 && /already exists/i.test(f.reason)));
}

export function indexUnavailable(where: string, reason: string): ServiceUnavailableError {
  return new ServiceUnavailableError(`The vector index (Qdrant at ${where}) is unavailable: ${reason}`, 'index_unavailable', {
    service: 'qdrant',
    reason,
  });
}

/**
 * The typed error a caller sees. Qdrant being unreachable, stalled or briefly down (502/503/504/408) is a 503
 * `index_unavailable` the client can retry, like `catalog_unavailable` for Redis. Any other refusal keeps
 * Qdrant's own reason in the message and `details.reason` instead of a bare "Bad Request".
 */
export function toIndexError(f: QdrantFailure, op: string, where: string, original: unknown): FaceRecError | unknown {
  switch (f.kind) {
    case 'timeout':
    case 'connection':
      return indexUnavailable(where, f.reason);
    case 'http':
      if (f.status === 429) {
        return new TooManyRequestsError(Math.max(1, Math.ceil(f.retryAfter ?? 1)), `Qdrant is rate-limiting ${op}: ${f.reason}`);
      }
      if (isTransient(f) || f.status === 408) return indexUnavailable(where, `HTTP ${f.status}: ${f.reason}`);
      if (f.status === 401 || f.status === 403) {
        // Qdrant's auth layer answers in plain text, not its JSON envelope.
        return new UpstreamError(`Qdrant refused the credentials for ${op} (HTTP ${f.status}): ${f.reason}; check QDRANT_API_KEY`, 'index_error', {
          service: 'qdrant',
          status: f.status,
          reason: f.reason,
        });
      }
      if (!f.qdrantBody) {
        // Not Qdrant's JSON envelope: a proxy or some other server answered, so QDRANT_URL points at the wrong place.
        return indexUnavailable(where, `HTTP ${f.status} from something that is not Qdrant (check the host, port and path in QDRANT_URL): ${f.reason}`);
      }
      return new UpstreamError(`Qdrant refused ${op} (HTTP ${f.status}): ${f.reason}`, 'index_error', {
        service: 'qdrant',
        status: f.status,
        reason: f.reason,
      });
    case 'other':
      return original;
  }
}
