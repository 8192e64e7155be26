import http from 'node:http';
import https from 'node:https';
import { parseWebhookUrl, pinnedLookup, type Resolver, resolveWebhookHost, urlHost } from './webhook-url-guard.ts';

export interface PostOptions {
  headers: Record<string, string>;
  allowPrivate: boolean;
  resolve?: Resolver | undefined;
  timeoutMs: number;
}

/**
 * POSTs `body` to a webhook URL and resolves with the status. The host is resolved and every address
 * checked first (invalid_webhook_url otherwise), and the socket connects through a lookup pinned to those
 * addresses, so a name that changes its answer between the check and the connection (DNS rebinding)
 * still cannot reach a refused address. TLS keeps verifying the certificate against the URL's host name.
 * No keep-alive: each attempt resolves and checks anew. Redirects are not followed.
 */
export async function postPinned(url: string, body: string, opts: PostOptions): Promise<number> {
  const target = parseWebhookUrl(url);
  const host = urlHost(target);
  const checked = await resolveWebhookHost(host, opts);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const req = client.request(
      {
        method: 'POST',
        protocol: target.protocol,
        hostname: host,
        port: target.port || undefined,
        path: `${target.pathname}${target.search}`,
        headers: { ...opts.headers, host: target.host, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
        lookup: pinnedLookup(checked) as unknown as http.RequestOptions['lookup'],
        signal: AbortSignal.timeout(opts.timeoutMs),
      },
      (res) => {
        // The receiver's body is not ours to keep: read and dropped, so the exchange can finish.
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('close', () => {
          if (!res.complete) reject(new Error('webhook response was cut off'));
        });
        res.resume();
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
