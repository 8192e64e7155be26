/** A small JSON client for the service's API over real HTTP: FormData bodies go as multipart, objects as JSON. */
export type Json = Record<string, any>;

export interface ApiAnswer {
  status: number;
  body: Json;
}

/** `base` is read per request, so a client can be made before the service it talks to has started. */
export function apiClient(base: () => string, key?: string) {
  const auth: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  async function send(method: string, path: string, body?: FormData | object, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    const isForm = body instanceof FormData;
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: body === undefined || isForm ? { ...auth, ...headers } : { 'content-type': 'application/json', ...auth, ...headers },
      ...(body === undefined ? {} : { body: isForm ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Json };
  }
  return {
    get: (path: string) => send('GET', path),
    del: (path: string) => send('DELETE', path),
    post: (path: string, body: FormData | object, headers?: Record<string, string>) => send('POST', path, body, headers),
  };
}
