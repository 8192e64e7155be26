/** Hono context variables shared by middleware and routes. */
export interface AppEnv {
  Variables: {
    /** performance.now() when the request arrived; every response reports the elapsed seconds. */
    startedAt: number;
    /** Who owns what this request touches: set by the API key middleware (`public` when keys are off). */
    tenant: string;
    /** Set once the request body has been read to its end: the connection is clean for the next request. */
    bodyEnded: boolean;
    /** Set where a body was abandoned part-way (over its limit): the connection cannot carry another request. */
    bodyCutOff: boolean;
    /** How much of this route's body may be read and dropped after a refusal (see unread-body.ts). */
    drainBudget: number;
    /** X-Request-Id: the caller's when safe, else generated; echoed on every response. */
    requestId: string;
  };
}
