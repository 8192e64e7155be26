/** The jobs API through the typed client, plus the photo sample and a loopback webhook receiver. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname } from 'node:path';
import { createFacerecClient, type ExtractJobForm } from '@facerec/client';
import { identities, photos, readPhoto } from './shared-faces.ts';

export interface BatchImage {
  ref: string;
  bytes: Buffer;
}

/** `n` facescrub photos, round-robin over identities so the sample is varied; ref = "<identity>/<file>", unique. */
export function facescrubSample(n: number): BatchImage[] {
  const lists = identities('facescrub').map((id) => photos('facescrub', id));
  const out: BatchImage[] = [];
  for (let round = 0; out.length < n; round++) {
    let added = false;
    for (const list of lists) {
      const path = list[round];
      if (!path) continue;
      added = true;
      out.push({ ref: `${basename(dirname(path))}/${basename(path)}`, bytes: readPhoto(path) });
      if (out.length === n) break;
    }
    if (!added) throw new Error(`facescrub holds fewer than ${n} photos`);
  }
  return out;
}

export interface HttpAnswer {
  status: number;
  body: Record<string, any>;
  headers: Headers;
}

async function answer(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<HttpAnswer> {
  const { data, error, response } = await call;
  return { status: response.status, body: (data ?? error ?? {}) as Record<string, any>, headers: response.headers };
}

const files = (images: BatchImage[]) => images.map((img) => new File([img.bytes], img.ref));

/** POST /v1/jobs/extract through the typed client. */
export async function submitJob(
  baseUrl: string,
  images: BatchImage[],
  opts: { fields?: Omit<ExtractJobForm, 'images'>; idempotencyKey?: string } = {},
): Promise<HttpAnswer> {
  return answer(createFacerecClient({ baseUrl }).submitExtractJob({ images: files(images), ...opts.fields }, { idempotencyKey: opts.idempotencyKey }));
}

/** `query` goes as given (strings), so tests can send limits and cursors the service must refuse. */
export async function getJob(baseUrl: string, id: string, query: { limit?: string; cursor?: string } = {}): Promise<HttpAnswer> {
  return answer(createFacerecClient({ baseUrl }).http.GET('/v1/jobs/{id}', { params: { path: { id }, query: query as { limit?: number; cursor?: string } } }));
}

export async function cancelJob(baseUrl: string, id: string): Promise<HttpAnswer> {
  return answer(createFacerecClient({ baseUrl }).http.DELETE('/v1/jobs/{id}', { params: { path: { id } } }));
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * Re-asks GET /v1/jobs/{id} right after each answer until the job is terminal (or `until` says so).
 * No sleeps; the overall deadline only turns a hang into a readable failure.
 */
export async function waitForJob(
  baseUrl: string,
  id: string,
  opts: { deadlineMs?: number; until?: (job: Record<string, any>) => boolean } = {},
): Promise<Record<string, any>> {
  const until = opts.until ?? ((job) => TERMINAL.has(job.state as string));
  const deadline = Date.now() + (opts.deadlineMs ?? 120_000);
  let last: HttpAnswer | undefined;
  let failures = 0;
  while (Date.now() < deadline) {
    try {
      last = await getJob(baseUrl, id, { limit: '1' });
    } catch (err) {
      // The gateway may briefly fail while Redis restarts; keep asking until the deadline.
      if (++failures > 10_000) throw err;
      continue;
    }
    if (last.status === 200 && until(last.body)) return last.body;
  }
  throw new Error(`job ${id} did not reach the expected state in time; last answer: ${JSON.stringify(last?.body)?.slice(0, 500)}`);
}

/** Every item of a job, paging with next_cursor; also returns the number of pages and the final summary. */
export async function allItems(baseUrl: string, id: string, limit = 37): Promise<{ items: Record<string, any>[]; pages: number; job: Record<string, any> }> {
  const items: Record<string, any>[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let job: Record<string, any> = {};
  do {
    const res = await getJob(baseUrl, id, { limit: String(limit), ...(cursor ? { cursor } : {}) });
    if (res.status !== 200) throw new Error(`GET /v1/jobs/${id} → ${res.status} ${JSON.stringify(res.body)}`);
    job = res.body;
    items.push(...(res.body.items as Record<string, any>[]));
    cursor = res.body.next_cursor as string | null;
    pages++;
    if (pages > 10_000) throw new Error('cursor never ended');
  } while (cursor);
  return { items, pages, job };
}

/**
 * Asserts-by-throwing that a finished job holds each submitted image's outcome exactly once, in order, with
 * a 128-d feature for every success; returns counts so callers can check them too.
 */
export function checkExactlyOnce(images: BatchImage[], items: Record<string, any>[]): { succeeded: number; failed: number } {
  const problems: string[] = [];
  if (items.length !== images.length) problems.push(`${items.length} items for ${images.length} images`);
  const refs = items.map((i) => i.ref as string);
  const unique = new Set(refs);
  if (unique.size !== refs.length) problems.push(`${refs.length - unique.size} duplicated refs`);
  const missing = images.filter((img) => !unique.has(img.ref));
  if (missing.length) problems.push(`missing: ${missing.slice(0, 5).map((m) => m.ref).join(', ')}${missing.length > 5 ? '…' : ''}`);
  let succeeded = 0;
  let failed = 0;
  for (const item of items) {
    if (item.status === 'succeeded') {
      succeeded++;
      const feature = (item.result?.faces as { feature?: unknown }[] | undefined)?.[0]?.feature;
      if (!Array.isArray(feature) || feature.length !== 128) problems.push(`${item.ref}: succeeded without a 128-d feature`);
    } else if (item.status === 'failed') {
      failed++;
      if (typeof item.error?.code !== 'string') problems.push(`${item.ref}: failed without an error code`);
    } else problems.push(`${item.ref}: status ${item.status}`);
  }
  if (problems.length) throw new Error(`job results are not exactly once:\n  ${problems.join('\n  ')}`);
  return { succeeded, failed };
}

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedHook[];
  /** Resolves with the `n`-th request (1-based) once it has arrived. */
  nth(n: number): Promise<ReceivedHook>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1:0 that records every POST; answers `statuses[i]` to the i-th (default 200). */
export async function startWebhookReceiver(statuses: number[] = []): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = [];
  const waiters: { n: number; resolve: (r: ReceivedHook) => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hook = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const index = received.push(hook) - 1;
      res.writeHead(statuses[index] ?? 200).end();
      for (const w of waiters.filter((w) => w.n === received.length)) w.resolve(hook);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    nth(n) {
      if (received.length >= n) return Promise.resolve(received[n - 1]!);
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
