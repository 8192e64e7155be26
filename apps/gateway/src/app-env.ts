/** Hono context variables shared by middleware and routes. */
export interface AppEnv {
  Variables: {
    /** performance.now() when the request arrived; every response reports the elapsed seconds. */
    startedAt: number;
    /** Who owns what this request touches: set by the API key middleware (`public` when keys are off). */
    tenant: string;
    /** X-Request-Id: the caller's when safe, else generated; echoed on every response. */
    requestId: string;
  };
}
