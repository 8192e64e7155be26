import { createFacerecClient, expectData, FacerecApiError, type FacerecClient } from '@facerec/client';

const KEY = 'facerec.apiKey';

/** The typed client for the gateway that served this page, with the API key the user typed (if any). */
export function client(): FacerecClient {
  return createFacerecClient({ baseUrl: location.origin, apiKey: sessionStorage.getItem(KEY) ?? undefined });
}

export const hasApiKey = () => Boolean(sessionStorage.getItem(KEY));

export function setApiKey(key: string) {
  sessionStorage.setItem(KEY, key);
}

export { expectData, FacerecApiError };

export function describeError(err: unknown): string {
  if (err instanceof FacerecApiError) return `${err.code}: ${err.message}${err.details?.reasons ? ` (${(err.details.reasons as string[]).join(', ')})` : ''}`;
  return (err as Error)?.message ?? String(err);
}
