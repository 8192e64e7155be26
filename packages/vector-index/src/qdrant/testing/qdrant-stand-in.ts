import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { DEFAULT_HNSW } from '../../create-vector-index.ts';

/**
 * A real HTTP server on 127.0.0.1 standing in for Qdrant where none can run: it records every request the
 * real @qdrant/js-client-rest makes (method, path, query, headers, body and its size on the wire) and answers
 * with the Qdrant-shaped JSON a test supplies. It checks request shapes, URL handling, error mapping,
 * timeouts and retries; what Qdrant itself computes is checked by the QDRANT_URL run against a real server.
 */
export interface RecordedRequest {
  method: string;
  /** The path as received, prefix included. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: any;
  bytes: number;
}

/** What to do with a request: answer, never answer (a stalled server), or drop the connection. */
export type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang' | 'drop';

/** `params` holds the `:name` parts of the route; `n` counts earlier requests on this route. */
export type Handler = (req: RecordedRequest, params: Record<string, string>, n: number) => Reply;

export interface QdrantStandIn {
  /** Base URL including the prefix the stand-in serves under. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Requests as `METHOD /path` without the prefix, for compact assertions. */
  calls(): string[];
  on(route: string, handler: Handler): void;
  close(): Promise<void>;
}

export function ok(result: unknown): Reply {
  return { status: 200, body: { result, status: 'ok', time: 0.0001 } };
}

/** Qdrant's error envelope, e.g. `qdrantError(400, 'Wrong input: ...')`. */
export function qdrantError(status: number, reason: string): Reply {
  return { status, body: { status: { error: reason }, time: 0.0001 } };
}

export interface InfoOptions {
  size?: number;
  distance?: string;
  vectors?: unknown;
  m?: number;
  efConstruct?: number;
  quantization?: unknown;
  indexed?: string[];
  strict?: Record<string, unknown>;
  points?: number;
  status?: string;
}

/** `GET /collections/{name}` as Qdrant 1.x answers it (the fields of CollectionInfo in its OpenAPI schema). */
export function collectionInfo(o: InfoOptions = {}): Reply {
  return ok({
    status: o.status ?? 'green',
    optimizer_status: 'ok',
    indexed_vectors_count: 0,
    points_count: o.points ?? 0,
    segments_count: 2,
    config: {
      params: {
        vectors: o.vectors ?? { size: o.size ?? 128, distance: o.distance ?? 'Cosine' },
        shard_number: 1,
        replication_factor: 1,
        write_consistency_factor: 1,
        on_disk_payload: true,
      },
      hnsw_config: { m: o.m ?? DEFAULT_HNSW.m, ef_construct: o.efConstruct ?? DEFAULT_HNSW.efConstruct, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false },
      optimizer_config: {
        deleted_threshold: 0.2,
        vacuum_min_vector_number: 1000,
        default_segment_number: 0,
        max_segment_size: null,
        memmap_threshold: null,
        indexing_threshold: 10000,
        flush_interval_sec: 5,
        max_optimization_threads: null,
      },
      wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
      quantization_config: o.quantization ?? null,
      strict_mode_config: o.strict ?? { enabled: false },
    },
    payload_schema: Object.fromEntries((o.indexed ?? ['subject_id', 'face_id']).map((f) => [f, { data_type: 'keyword', points: 0 }])),
  });
}

function compile(route: string): { method: string; re: RegExp; names: string[] } {
  const [method, path] = route.split(' ') as [string, string];
  const names: string[] = [];
  const re = new RegExp(`^${path.replace(/:([a-z_]+)/g, (_, n: string) => (names.push(n), '([^/]+)'))}$`);
  return { method, re, names };
}

export async function startQdrantStandIn(opts: { prefix?: string } = {}): Promise<QdrantStandIn> {
  const prefix = opts.prefix ?? '';
  const routes: { method: string; re: RegExp; names: string[]; handler: Handler; count: number }[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const send = (res: ServerResponse, reply: Exclude<Reply, 'hang' | 'drop'>) => {
    const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    const type = typeof reply.body === 'string' ? 'text/plain' : 'application/json';
    res.writeHead(reply.status, { 'content-type': type, ...reply.headers });
    res.end(text);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://stand-in');
      let body: unknown;
      try {
        body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        body = raw.toString('utf8');
      }
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body, bytes: raw.length };
      requests.push(recorded);
      const inner = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : undefined;
      for (const r of routes) {
        const m = inner !== undefined && r.method === recorded.method ? r.re.exec(inner) : null;
        if (!m) continue;
        const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
        const reply = r.handler(recorded, params, r.count++);
        if (reply === 'hang') return;
        if (reply === 'drop') {
          req.socket.destroy();
          return;
        }
        send(res, reply);
        return;
      }
      // Not Qdrant's JSON envelope, like a proxy's page for a path it does not route.
      send(res, { status: 404, body: `no route for ${recorded.method} ${url.pathname}` });
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    port,
    requests,
    calls: () => requests.map((r) => `${r.method} ${r.path.startsWith(prefix) ? r.path.slice(prefix.length) : r.path}`),
    on(route, handler) {
      // Latest first, so a test can override a default route.
      routes.unshift({ ...compile(route), handler, count: 0 });
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
