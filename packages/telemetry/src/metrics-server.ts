import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.ts';

export interface ProcessHealth {
  ready: boolean;
  detail: string;
}

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A worker's small HTTP side door: `GET /metrics` (Prometheus exposition) and `GET /health` (200 when ready,
 * else 503, with the reason), for scrapers and Kubernetes probes. Nothing else is served.
 */
export async function startMetricsServer(opts: { host: string; port: number; metrics: Metrics; health: () => Promise<ProcessHealth> }): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, 'text/plain; charset=utf-8', 'GET only\n');
    if (path === '/metrics') {
      opts.metrics.exposition().then(
        ({ contentType, body }) => answer(200, contentType, body),
        (err: Error) => answer(500, 'text/plain; charset=utf-8', `metrics failed: ${err.message}\n`),
      );
      return;
    }
    if (path === '/health') {
      opts.health().then(
        (h) => answer(h.ready ? 200 : 503, 'application/json', JSON.stringify({ success: h.ready, status: h.ready ? 'ok' : 'unavailable', message: h.detail })),
        (err: Error) => answer(503, 'application/json', JSON.stringify({ success: false, status: 'unavailable', message: err.message })),
      );
      return;
    }
    answer(404, 'text/plain; charset=utf-8', 'This port serves GET /metrics and GET /health\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
