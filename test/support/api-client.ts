/**
 * The tests' client for the service's API: the typed client of packages/client (requests are checked
 * against the routes' OpenAPI types), plus `answer`, which turns openapi-fetch's `{data, error, response}`
 * into the `{status, body}` the assertions read.
 */
import { readFileSync } from 'node:fs';
import { createFacerecClient, type FacerecClient } from '@facerec/client';

export type Json = Record<string, any>;

export interface ApiAnswer {
  status: number;
  body: Json;
}

/** `base` is read per call, so a client can be made before the service it talks to has started (or restarted). */
export function apiClient(base: () => string, key?: string): () => FacerecClient {
  let current: { url: string; client: FacerecClient } | undefined;
  return () => {
    const url = base();
    if (current?.url !== url) current = { url, client: createFacerecClient({ baseUrl: url, apiKey: key }) };
    return current.client;
  };
}

/** Any status's body, success or error, for assertions. */
export async function answer(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<ApiAnswer> {
  const { data, error, response } = await call;
  return { status: response.status, body: (data ?? error) as Json };
}

/** A photo from disk as the File the multipart helpers send. */
export const imageFile = (path: string, name = 'face.jpg') => new File([readFileSync(path)], name);
