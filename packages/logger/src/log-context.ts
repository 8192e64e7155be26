import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Fields every log line written inside `withLogContext` carries, however deep the call: a request's id set
 * once by the HTTP middleware reaches the lines of the services it calls and of the jobs it enqueues,
 * without threading it through every signature.
 */
const storage = new AsyncLocalStorage<Readonly<Record<string, unknown>>>();

/** Runs `fn` with `fields` as the context, replacing (not merging with) any outer one. */
export function withLogContext<T>(fields: Readonly<Record<string, unknown>>, fn: () => T): T {
  return storage.run(fields, fn);
}

/** The fields of the innermost `withLogContext` around this call (empty outside any). */
export function logContext(): Readonly<Record<string, unknown>> {
  return storage.getStore() ?? {};
}
