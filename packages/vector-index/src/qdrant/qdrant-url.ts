import { ValidationError } from '@facerec/errors';

/** What `QdrantClient` needs to reach exactly the address a URL names. */
export interface QdrantAddress {
  host: string;
  port: number;
  https: boolean;
  /** '' or a path starting with '/' and without a trailing slash. */
  prefix: string;
}

const DEFAULT_PORTS = { 'http:': 80, 'https:': 443 } as const;

/**
 * `QDRANT_URL` → the client's `{host, port, https, prefix}`. Handing the raw URL to `new QdrantClient({url})`
 * is wrong twice over (js-client-rest 1.19): a URL without a port, or with `:443` (which WHATWG URL parsing
 * reports as no port), gets 6333, and any path is dropped. Behind a TLS ingress (`https://qdrant.example.com`)
 * or a path-routing proxy (`https://proxy.example.com/qdrant`) that reaches nothing. Here the URL means
 * exactly what it says: its scheme, host, port (the scheme's default when absent) and path prefix.
 */
export function qdrantAddress(raw: string): QdrantAddress {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError(`QDRANT_URL '${raw}' is not a URL (expected e.g. http://127.0.0.1:6333)`, 'invalid_config');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ValidationError(`QDRANT_URL must start with http:// or https://, got '${url.protocol}'`, 'invalid_config');
  }
  if (url.username || url.password) {
    throw new ValidationError('QDRANT_URL must not carry credentials; set QDRANT_API_KEY instead', 'invalid_config');
  }
  if (url.search || url.hash) {
    throw new ValidationError('QDRANT_URL must not have a query string or fragment; only scheme, host, port and path count', 'invalid_config');
  }
  const https = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
  const prefix = url.pathname.replace(/\/+$/, '');
  // URL keeps IPv6 hosts in brackets ('[::1]'), which is also the form the client needs in `host:port`.
  return { host: url.hostname, port, https, prefix };
}

/** For messages: the base every request goes to. */
export function describeAddress(a: QdrantAddress): string {
  return `${a.https ? 'https' : 'http'}://${a.host}:${a.port}${a.prefix}`;
}
