/** Hono context variables shared by middleware and routes. */
export interface AppEnv {
  Variables: {
    /** performance.now() when the request arrived; every response reports the elapsed seconds. */
    startedAt: number;
  };
}
