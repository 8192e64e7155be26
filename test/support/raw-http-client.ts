/**
 * Raw HTTP for the tests that must send what the typed client will not let them: hostile and malformed input
 * (input rules, fuzzing) and hand-built multipart bodies (crash and outage runs replaying one form). Everything
 * else goes through api-client.ts, the typed client.
 */
import type { ApiAnswer } from './api-client.ts';
import type { BatchImage } from './jobs-client.ts';

/** FormData bodies go as multipart, objects as JSON. `base` is read per request, so the service may restart. */
export function rawApiClient(base: () => string, key?: string) {
  const auth: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  async function send(method: string, path: string, body?: FormData | object, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    const isForm = body instanceof FormData;
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: body === undefined || isForm ? { ...auth, ...headers } : { 'content-type': 'application/json', ...auth, ...headers },
      ...(body === undefined ? {} : { body: isForm ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as ApiAnswer['body'] };
  }
  return {
    get: (path: string) => send('GET', path),
    del: (path: string) => send('DELETE', path),
    post: (path: string, body: FormData | object, headers?: Record<string, string>) => send('POST', path, body, headers),
  };
}

/** A batch upload as the browser would send it: one `images` part per photo, then the fields as given. */
export function batchForm(images: BatchImage[], fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const img of images) form.append('images', new Blob([img.bytes]), img.ref);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}
