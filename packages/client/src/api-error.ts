/** A non-2xx answer of the service, with its `{code, message, details}` body (see README "API"). */
export class FacerecApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'FacerecApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** fetch itself failed: nothing answered at the URL (refused, reset, DNS, aborted). */
export class FacerecUnreachableError extends Error {
  readonly url: string;

  constructor(url: string, options: { cause: unknown }) {
    // fetch's own message is a bare "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND…) is in its cause.
    const cause = options.cause as Error | undefined;
    super(`facerec is not reachable at ${url}: ${cause?.cause instanceof Error ? cause.cause.message : cause?.message}`, options);
    this.name = 'FacerecUnreachableError';
    this.url = url;
  }
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The 2xx body of an openapi-fetch result, or a FacerecApiError built from the service's error body. */
export function expectData<T>(result: FetchResult<T>): T {
  if (result.response.ok && result.data !== undefined) return result.data;
  const body = (result.error ?? {}) as { code?: unknown; message?: unknown; details?: unknown };
  throw new FacerecApiError(
    result.response.status,
    typeof body.code === 'string' ? body.code : `http_${result.response.status}`,
    typeof body.message === 'string' ? body.message : `${result.response.status} ${result.response.statusText}`,
    body.details && typeof body.details === 'object' ? (body.details as Record<string, unknown>) : undefined,
  );
}
