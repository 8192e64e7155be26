import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConflictError, NoFaceError, ServiceUnavailableError, TimeoutError, TooManyRequestsError, ValidationError } from '@facerec/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CreateJobQueueOptions } from '../create-queue.ts';
import type { Handlers, JobContext } from '../job-catalog.ts';
import type { BatchItemResult, BatchPage, JobQueue } from '../queue-port.ts';
import { verifyWebhook } from '../webhook-signature.ts';
import { assertWebhookUrlAllowed } from '../webhook-url-guard.ts';
import { CRASH_REQUEST_ID, crashBatchImages } from '../testing/crash-batch.ts';
import { killQueueChildren, spawnQueueChild, type QueueLocation } from '../testing/queue-child.ts';

/**
 * An item's blob is deleted after its outcome is recorded, so after the batch can finish: under load the
 * last delete may still be in flight when the batch reads as finished.
 */
async function noBlobsLeft(blobCount: () => Promise<number>): Promise<void> {
  await vi.waitFor(async () => expect(await blobCount()).toBe(0), { timeout: 5_000, interval: 25 });
}

export interface ContractHarness {
  queue: JobQueue;
  /** Image blobs still stored by this queue. */
  blobCount(): Promise<number>;
}

export type ContractOptions = Omit<CreateJobQueueOptions, 'redisUrl' | 'prefix'>;

export interface ContractAdapter {
  /** Builds a queue on this adapter's namespace (made on first use); the suite closes it. */
  create(opts: ContractOptions): Promise<ContractHarness>;
  /** Frees the namespace (runs after the queues are closed). */
  cleanup(): Promise<void>;
  /**
   * For adapters whose jobs outlive their process: where another process opens the same namespace (the
   * crash case runs only for these).
   */
  location?(): Promise<QueueLocation>;
}

export const WEBHOOK_SECRET = 'contract-secret';

const baseOptions: ContractOptions = {
  maxWaiting: 1_000,
  webhookSecret: WEBHOOK_SECRET,
  allowPrivateWebhooks: true,
  // Short backoffs keep retry tests fast; attempts stay as in production.
  policies: {
    extract: { backoff: { type: 'fixed', delayMs: 20 } },
    webhook: { backoff: { type: 'fixed', delayMs: 20 } },
  },
};

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A real handler: hashes the image bytes. Content prefixes steer failures so tests can count calls. */
function hashingHandlers(calls: Map<string, number>, gates: { slow?: Promise<void>; started?: () => void } = {}): Handlers {
  return {
    extract: async (payload, ctx) => {
      const bytes = await ctx.readBlob(payload.blobKey);
      const text = bytes.subarray(0, 16).toString('latin1');
      calls.set(text, (calls.get(text) ?? 0) + 1);
      if (text.startsWith('perm:')) throw new ValidationError('item is malformed', 'bad_item');
      if (text.startsWith('noface:')) throw new NoFaceError();
      if (text.startsWith('flaky:') && ctx.attempt === 1) throw new ServiceUnavailableError('GPU busy');
      if (text.startsWith('slow:')) {
        gates.started?.();
        await gates.slow;
      }
      await ctx.updateProgress(100);
      return { sha256: sha256(bytes), faces: payload.options.faces };
    },
  };
}

function image(tag: string): Buffer {
  return Buffer.concat([Buffer.from(tag.padEnd(16, '.'), 'latin1'), randomBytes(2048)]);
}

interface Receiver {
  url: string;
  requests: Array<{ headers: IncomingHttpHeaders; body: string }>;
  next(): Promise<{ headers: IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

/** A real HTTP receiver on loopback; `statuses` are answered in order, then 200. */
async function startReceiver(statuses: number[] = []): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const waiters: Array<(r: Receiver['requests'][number]) => void> = [];
  let seen = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const entry = { headers: req.headers, body };
      requests.push(entry);
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
      waiters.shift()?.(entry);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    next() {
      const i = seen++;
      const have = requests[i];
      return have ? Promise.resolve(have) : new Promise((resolve) => waiters.push(resolve));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function allItems(queue: JobQueue, id: string, limit: number): Promise<BatchItemResult[]> {
  const items: BatchItemResult[] = [];
  let cursor: string | undefined;
  do {
    const page: BatchPage = await queue.getBatch(id, { cursor, limit });
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return items;
}

async function untilFinished(queue: JobQueue, id: string): Promise<BatchPage> {
  return vi.waitFor(
    async () => {
      const b = await queue.getBatch(id);
      if (b.finished_at === null) throw new Error(`batch still ${b.state}`);
      return b;
    },
    { timeout: 20_000, interval: 25 },
  );
}

async function untilWebhookDelivered(queue: JobQueue, id: string): Promise<BatchPage> {
  return vi.waitFor(
    async () => {
      const b = await queue.getBatch(id);
      expect(b.webhook?.delivered).toBe(true);
      return b;
    },
    { timeout: 10_000, interval: 25 },
  );
}

/** The behaviour every JobQueue adapter must share. */
export function registerJobQueueContract(name: string, adapter: () => ContractAdapter, opts: { survivesCrash: boolean }): void {
  describe(`JobQueue contract: ${name}`, () => {
    const open: Array<{ close(): Promise<void> }> = [];
    let current: ContractAdapter | undefined;

    async function setup(overrides: Partial<ContractOptions> = {}): Promise<ContractHarness> {
      current ??= adapter();
      const h = await current.create({ ...baseOptions, ...overrides });
      open.push(h.queue);
      return h;
    }

    async function receiver(statuses?: number[]): Promise<Receiver> {
      const r = await startReceiver(statuses);
      open.push(r);
      return r;
    }

    afterEach(async () => {
      await killQueueChildren();
      for (const o of open.splice(0).reverse()) await o.close();
      await current?.cleanup();
      current = undefined;
    });

    it('runs a 50-item batch: every result present once and correct, pages cover every item once, blobs freed', async () => {
      const { queue, blobCount } = await setup();
      const calls = new Map<string, number>();
      await queue.startWorker(hashingHandlers(calls), { concurrency: 4 });
      const images = Array.from({ length: 50 }, (_, i) => image(`ok:${i}`));
      const { batch, created } = await queue.submitBatch({
        type: 'extract',
        items: images.map((img, i) => ({ ref: `img-${i}`, image: img })),
        options: { faces: 'all' },
      });
      expect(created).toBe(true);
      expect(batch.progress.total).toBe(50);

      const done = await untilFinished(queue, batch.id);
      expect(done.state).toBe('completed');
      expect(done.progress).toEqual({ total: 50, succeeded: 50, failed: 0, cancelled: 0 });

      const items = await allItems(queue, batch.id, 7);
      expect(items.map((i) => i.ref)).toEqual(images.map((_, i) => `img-${i}`));
      items.forEach((item, i) => {
        expect(item.status).toBe('succeeded');
        expect(item.result).toEqual({ sha256: sha256(images[i] as Buffer), faces: 'all' });
      });
      await noBlobsLeft(blobCount);
    });

    it('fails a permanently failing item at once with its code, retries a transient one until it succeeds', async () => {
      const { queue, blobCount } = await setup();
      const calls = new Map<string, number>();
      await queue.startWorker(hashingHandlers(calls), { concurrency: 2 });
      const { batch } = await queue.submitBatch({
        type: 'extract',
        items: [
          { ref: 'bad', image: image('perm:1') },
          { ref: 'flaky', image: image('flaky:1') },
          { ref: 'good', image: image('ok:1') },
        ],
        options: { faces: 'primary' },
      });
      const done = await untilFinished(queue, batch.id);
      expect(done.state).toBe('completed');
      expect(done.progress).toMatchObject({ succeeded: 2, failed: 1 });
      const byRef = Object.fromEntries(done.items.map((i) => [i.ref, i]));
      expect(byRef['bad']).toMatchObject({ status: 'failed', error: { code: 'bad_item' } });
      expect(byRef['flaky']?.status).toBe('succeeded');
      expect(calls.get('perm:1'.padEnd(16, '.'))).toBe(1);
      expect(calls.get('flaky:1'.padEnd(16, '.'))).toBe(2);
      await noBlobsLeft(blobCount);
    });

    it('hands each queue only to workers with its handler; per-item options reach the handler; failure details are kept', async () => {
      const { queue, blobCount } = await setup();
      await queue.startWorker(hashingHandlers(new Map()), { concurrency: 2 });
      const options = { tenant: 't', collectionId: 'col-1', allowMultiple: false, allowConflict: false };
      const { batch } = await queue.submitBatch({
        type: 'enroll',
        items: [
          { ref: 'a.jpg', image: image('ok:enroll-a'), options: { subjectId: 'alice' } },
          { ref: 'b.jpg', image: image('perm:enroll-b'), options: { subjectId: 'bob' } },
        ],
        options,
      });
      // Only an extract worker runs: the enrollment items must wait, not fail for want of a handler.
      expect((await queue.getBatch(batch.id)).items.map((i) => i.status)).toEqual(['pending', 'pending']);

      const seen: string[] = [];
      await queue.startWorker({
        enroll: async (payload, ctx) => {
          const bytes = await ctx.readBlob(payload.blobKey);
          seen.push(`${payload.options.collectionId}/${payload.options.subjectId}`);
          if (bytes.subarray(0, 5).toString('latin1') === 'perm:') {
            throw new ValidationError('face too small', 'low_quality', { reasons: ['too_small'] });
          }
          return { subject_id: payload.options.subjectId };
        },
      });
      const done = await untilFinished(queue, batch.id);
      expect(seen.sort()).toEqual(['col-1/alice', 'col-1/bob']);
      const byRef = Object.fromEntries(done.items.map((i) => [i.ref, i]));
      expect(byRef['a.jpg']).toMatchObject({ status: 'succeeded', result: { subject_id: 'alice' } });
      expect(byRef['b.jpg']).toMatchObject({ status: 'failed', error: { code: 'low_quality', details: { reasons: ['too_small'] } } });
      await noBlobsLeft(blobCount);
    });

    it('takes items already in the blob store; frees them when the submission is refused or replayed', async () => {
      const { queue, blobCount } = await setup();
      const stored = async (tag: string) => ({ ref: tag, blobKey: await queue.putBlob(image(`ok:${tag}`)) });
      // Refused (no items would run: invalid options): the passed blobs go with it.
      const refused = queue.submitBatch({ type: 'enroll', items: [await stored('r1')], options: { tenant: 't' } });
      await expect(refused).rejects.toBeInstanceOf(ValidationError);
      await noBlobsLeft(blobCount);

      const first = await queue.submitBatch({ type: 'extract', items: [await stored('a'), await stored('b')], options: {} }, { idempotencyKey: 'pre', bodyHash: 'h' });
      expect(await blobCount()).toBe(2);
      const replay = await queue.submitBatch({ type: 'extract', items: [await stored('a'), await stored('b')], options: {} }, { idempotencyKey: 'pre', bodyHash: 'h' });
      expect(replay).toMatchObject({ created: false, batch: { id: first.batch.id } });
      expect(await blobCount()).toBe(2);

      await queue.startWorker(hashingHandlers(new Map()));
      const done = await untilFinished(queue, first.batch.id);
      expect(done.items.map((i) => i.result?.['sha256'])).toHaveLength(2);
      expect(done.progress.succeeded).toBe(2);
      await noBlobsLeft(blobCount);
    });

    it('refuses a batch whose item options are invalid before storing anything', async () => {
      const { queue, blobCount } = await setup();
      const bad = queue.submitBatch({
        type: 'enroll',
        items: [{ ref: 'a', image: image('ok:a') }, { ref: 'b', image: image('ok:b'), options: { subjectId: '' } }],
        options: { tenant: 't', collectionId: 'c', subjectId: 'x', allowMultiple: false, allowConflict: false },
      });
      await expect(bad).rejects.toBeInstanceOf(ValidationError);
      await noBlobsLeft(blobCount);
    });

    it('marks a batch failed when every item failed', async () => {
      const { queue } = await setup();
      await queue.startWorker(hashingHandlers(new Map()));
      const { batch } = await queue.submitBatch({
        type: 'extract',
        items: [{ ref: 'a', image: image('perm:a') }, { ref: 'b', image: image('noface:b') }],
        options: { faces: 'primary' },
      });
      const done = await untilFinished(queue, batch.id);
      expect(done.state).toBe('failed');
      expect((await queue.cancelBatch(batch.id)).state).toBe('failed');
      expect(done.items.map((i) => i.error?.code)).toEqual(['bad_item', 'no_face']);
    });

    it('runJob returns the result, rebuilds a permanent error as the same class and code, retries transient ones', async () => {
      const { queue, blobCount } = await setup();
      const calls = new Map<string, number>();
      await queue.startWorker(hashingHandlers(calls));
      const img = image('ok:run');
      const result = await queue.runJob('extract', { blobKey: await queue.putBlob(img), options: { faces: 'primary' } }, { timeoutMs: 10_000 });
      expect(result).toEqual({ sha256: sha256(img), faces: 'primary' });

      const failed = queue.runJob('extract', { blobKey: await queue.putBlob(image('noface:run')), options: { faces: 'primary' } }, { timeoutMs: 10_000 });
      await expect(failed).rejects.toBeInstanceOf(NoFaceError);
      await expect(failed).rejects.toMatchObject({ code: 'no_face', status: 400 });
      expect(calls.get('noface:run'.padEnd(16, '.'))).toBe(1);

      const flaky = await queue.runJob('extract', { blobKey: await queue.putBlob(image('flaky:run')), options: { faces: 'primary' } }, { timeoutMs: 10_000 });
      expect(flaky).toHaveProperty('sha256');
      expect(calls.get('flaky:run'.padEnd(16, '.'))).toBe(2);
      await noBlobsLeft(blobCount);
    });

    it('runJob rejects an invalid payload with ValidationError before enqueueing', async () => {
      const { queue } = await setup();
      await expect(queue.runJob('extract', { blobKey: '', options: { faces: 'primary' } }, { timeoutMs: 1_000 })).rejects.toBeInstanceOf(ValidationError);
    });

    it('runJob rejects with TimeoutError when the worker is too slow, and the job still completes', async () => {
      const { queue, blobCount } = await setup();
      const gate = deferred();
      const started = deferred();
      await queue.startWorker(hashingHandlers(new Map(), { slow: gate.promise, started: started.resolve }));
      const blobKey = await queue.putBlob(image('slow:run'));
      const pending = queue.runJob('extract', { blobKey, options: { faces: 'primary' } }, { timeoutMs: 300 });
      await expect(pending).rejects.toBeInstanceOf(TimeoutError);
      await started.promise;
      gate.resolve();
      await vi.waitFor(async () => expect(await blobCount()).toBe(0), { timeout: 10_000, interval: 25 });
    });

    it('cancels: not-started items are removed, the running one finishes and is recorded, the webhook says cancelled', async () => {
      const { queue, blobCount } = await setup();
      const hook = await receiver();
      const gate = deferred();
      const started = deferred();
      const calls = new Map<string, number>();
      await queue.startWorker(hashingHandlers(calls, { slow: gate.promise, started: started.resolve }), { concurrency: 1 });
      const { batch } = await queue.submitBatch({
        type: 'extract',
        items: [{ ref: 'first', image: image('slow:first') }, ...Array.from({ length: 9 }, (_, i) => ({ ref: `r${i}`, image: image(`ok:c${i}`) }))],
        options: { faces: 'primary' },
        webhookUrl: hook.url,
      });
      await started.promise;
      const cancelled = await queue.cancelBatch(batch.id);
      expect(cancelled.state).toBe('cancelled');
      expect(cancelled.finished_at).not.toBeNull();
      const event = await hook.next();
      expect(verifyWebhook(WEBHOOK_SECRET, event.headers, event.body)).toBe(true);
      expect(JSON.parse(event.body)).toMatchObject({ id: batch.id, state: 'cancelled' });
      expect((await queue.cancelBatch(batch.id)).state).toBe('cancelled');
      gate.resolve();
      const after = await vi.waitFor(
        async () => {
          const b = await queue.getBatch(batch.id);
          expect(b.items.filter((i) => i.status === 'pending')).toHaveLength(0);
          // Progress and the item page are separate reads; wait until both show the late item.
          expect(b.progress.succeeded + b.progress.cancelled).toBe(10);
          return b;
        },
        { timeout: 10_000, interval: 25 },
      );
      expect(after.state).toBe('cancelled');
      expect(after.progress).toEqual({ total: 10, succeeded: 1, failed: 0, cancelled: 9 });
      expect(after.items[0]?.status).toBe('succeeded');
      expect([...calls.keys()].filter((k) => k.startsWith('ok:c'))).toHaveLength(0);
      await noBlobsLeft(blobCount);
      expect(hook.requests).toHaveLength(1);
    });

    it('idempotency: same key and body hash returns the same batch; another hash is a 409', async () => {
      const { queue } = await setup();
      const input = { type: 'extract' as const, items: [{ ref: 'a', image: image('ok:idem') }], options: { faces: 'primary' as const } };
      const first = await queue.submitBatch(input, { idempotencyKey: 'k1', bodyHash: 'h1' });
      const again = await queue.submitBatch(input, { idempotencyKey: 'k1', bodyHash: 'h1' });
      expect(again.created).toBe(false);
      expect(again.batch.id).toBe(first.batch.id);
      await expect(queue.submitBatch(input, { idempotencyKey: 'k1', bodyHash: 'h2' })).rejects.toBeInstanceOf(ConflictError);
      const other = await queue.submitBatch(input, { idempotencyKey: 'k2', bodyHash: 'h1' });
      expect(other.batch.id).not.toBe(first.batch.id);
    });

    it('backpressure: above maxWaiting submit and runJob answer TooManyRequestsError; accepted work still runs', async () => {
      const { queue } = await setup({ maxWaiting: 3, retryAfterSeconds: 7 });
      const { batch } = await queue.submitBatch({
        type: 'extract',
        items: Array.from({ length: 3 }, (_, i) => ({ ref: `${i}`, image: image(`ok:bp${i}`) })),
        options: { faces: 'primary' },
      });
      expect((await queue.stats()).waiting).toBe(3);
      const refused = queue.submitBatch({ type: 'extract', items: [{ ref: 'x', image: image('ok:x') }], options: { faces: 'primary' } });
      await expect(refused).rejects.toBeInstanceOf(TooManyRequestsError);
      await expect(refused).rejects.toMatchObject({ status: 429, retryAfterSeconds: 7 });
      await expect(queue.runJob('extract', { blobKey: 'k', options: { faces: 'primary' } }, { timeoutMs: 1_000 })).rejects.toBeInstanceOf(TooManyRequestsError);
      await queue.startWorker(hashingHandlers(new Map()));
      expect((await untilFinished(queue, batch.id)).progress.succeeded).toBe(3);
    });

    it('backpressure is per queue: a full enrollment queue refuses enrollments, not extractions', async () => {
      const { queue } = await setup({ maxWaiting: 2 });
      const enroll = (tag: string) =>
        queue.submitBatch({
          type: 'enroll',
          items: [1, 2].map((i) => ({ ref: `${tag}${i}`, image: image(`ok:${tag}${i}`), options: { subjectId: `s${i}` } })),
          options: { tenant: 't', collectionId: 'c', allowMultiple: false, allowConflict: false },
        });
      await enroll('a');
      await expect(enroll('b')).rejects.toBeInstanceOf(TooManyRequestsError);
      await queue.startWorker(hashingHandlers(new Map()));
      const result = await queue.runJob('extract', { blobKey: await queue.putBlob(image('ok:bp-sync')), options: { faces: 'primary' } }, { timeoutMs: 10_000 });
      expect(result).toMatchObject({ faces: 'primary' });
    });

    it('backpressure spares work done for an accepted job (admitted), and refuses new work', async () => {
      const { queue: q2 } = await setup({ maxWaiting: 1 });
      await q2.submitBatch({ type: 'extract', items: [{ ref: 'x', image: image('ok:fill') }], options: { faces: 'primary' } });
      const payload = { blobKey: await q2.putBlob(image('ok:admitted')), options: { faces: 'primary' as const } };
      await expect(q2.runJob('extract', payload, { timeoutMs: 1_000 })).rejects.toBeInstanceOf(TooManyRequestsError);
      const admitted = q2.runJob('extract', payload, { timeoutMs: 10_000, admitted: true });
      await q2.startWorker(hashingHandlers(new Map()));
      expect(await admitted).toMatchObject({ faces: 'primary' });
    });

    it('rejects invalid cursors, limits, unknown batches and empty batches', async () => {
      const { queue } = await setup();
      const { batch } = await queue.submitBatch({ type: 'extract', items: [{ ref: 'a', image: image('ok:a') }], options: { faces: 'primary' } });
      const other = await queue.submitBatch({ type: 'extract', items: [{ ref: 'b', image: image('ok:b') }, { ref: 'c', image: image('ok:c') }], options: { faces: 'primary' } });
      const otherCursor = (await queue.getBatch(other.batch.id, { limit: 1 })).next_cursor;
      expect(otherCursor).not.toBeNull();
      await expect(queue.getBatch(batch.id, { cursor: 'garbage' })).rejects.toBeInstanceOf(ValidationError);
      await expect(queue.getBatch(batch.id, { cursor: otherCursor ?? '' })).rejects.toMatchObject({ code: 'invalid_cursor' });
      await expect(queue.getBatch(batch.id, { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
      await expect(queue.getBatch('no-such-batch')).rejects.toMatchObject({ status: 404 });
      await expect(queue.cancelBatch('no-such-batch')).rejects.toMatchObject({ status: 404 });
      await expect(queue.submitBatch({ type: 'extract', items: [], options: { faces: 'primary' } })).rejects.toBeInstanceOf(ValidationError);
    });

    it('delivers a signed webhook when the batch finishes', async () => {
      const { queue } = await setup();
      const hook = await receiver();
      await queue.startWorker(hashingHandlers(new Map()), { concurrency: 2 });
      const { batch } = await queue.submitBatch({
        type: 'extract',
        items: [{ ref: 'a', image: image('ok:w1') }, { ref: 'b', image: image('perm:w2') }],
        options: { faces: 'primary' },
        webhookUrl: hook.url,
      });
      const req = await hook.next();
      expect(verifyWebhook(WEBHOOK_SECRET, req.headers, req.body, 300)).toBe(true);
      expect(verifyWebhook('wrong-secret', req.headers, req.body, 300)).toBe(false);
      expect(verifyWebhook(WEBHOOK_SECRET, req.headers, req.body.replace('completed', 'failed'), 300)).toBe(false);
      const event = JSON.parse(req.body) as Record<string, unknown>;
      expect(event).toMatchObject({ id: batch.id, type: 'extract', state: 'completed', progress: { total: 2, succeeded: 1, failed: 1 } });
      expect(Object.keys(event).sort()).toEqual(['created_at', 'finished_at', 'id', 'progress', 'state', 'type']);
      const b = await untilWebhookDelivered(queue, batch.id);
      expect(b.webhook?.attempts).toEqual([expect.objectContaining({ status: 200 })]);
      expect(hook.requests).toHaveLength(1);
    });

    it('retries a webhook the receiver refuses and records every attempt', async () => {
      const { queue } = await setup();
      const hook = await receiver([500]);
      await queue.startWorker(hashingHandlers(new Map()));
      const { batch } = await queue.submitBatch({ type: 'extract', items: [{ ref: 'a', image: image('ok:r') }], options: { faces: 'primary' }, webhookUrl: hook.url });
      await hook.next();
      const second = await hook.next();
      expect(verifyWebhook(WEBHOOK_SECRET, second.headers, second.body, 300)).toBe(true);
      const b = await untilWebhookDelivered(queue, batch.id);
      expect(b.webhook?.attempts.map((a) => a.status)).toEqual([500, 200]);
    });

    it.runIf(opts.survivesCrash)(
      'a process SIGKILLed mid-batch and restarted on the same storage: every accepted item ends once, one webhook, the key still maps to the job',
      async () => {
        current ??= adapter();
        const location = await current.location!();
        const hook = await receiver();
        const N = 40;
        const images = crashBatchImages(N);
        const submit = { items: N, webhookUrl: hook.url, idempotencyKey: 'crash-key' };
        // The first process finishes 10 items, then has 4 in flight (blocked) and 26 waiting when it dies.
        const first = await spawnQueueChild({ queue: location, secret: WEBHOOK_SECRET, hangAfter: 10, submit });
        const accepted = await first.accepted;
        expect(accepted.created).toBe(true);
        await first.hanging(4);
        expect(await first.kill()).toBe('SIGKILL');

        const second = await spawnQueueChild({ queue: location, secret: WEBHOOK_SECRET, submit });
        expect(await second.accepted).toEqual({ id: accepted.id, created: false });
        const event = await hook.next();
        expect(verifyWebhook(WEBHOOK_SECRET, event.headers, event.body, 300)).toBe(true);
        expect(JSON.parse(event.body)).toMatchObject({ id: accepted.id, state: 'completed', progress: { total: N, succeeded: N, failed: 0, cancelled: 0 } });
        expect(await second.stop()).toBe(0);

        // A third queue on the same storage reads what the first two left.
        const { queue, blobCount } = await setup();
        const done = await queue.getBatch(accepted.id, { limit: 1_000 });
        expect(done.state).toBe('completed');
        // Counters move only with an item's first recorded outcome: equal to the total means none twice.
        expect(done.progress).toEqual({ total: N, succeeded: N, failed: 0, cancelled: 0 });
        expect(done.items.map((i) => i.ref)).toEqual(images.map((_, i) => `item-${i}`));
        expect(done.items.map((i) => i.result?.['sha256'])).toEqual(images.map(sha256));
        // Items run again after the restart still carry the id of the request that created the batch.
        expect(done.request_id).toBe(CRASH_REQUEST_ID);
        expect(new Set(done.items.map((i) => i.result?.['requestId']))).toEqual(new Set([CRASH_REQUEST_ID]));
        expect(done.webhook).toMatchObject({ delivered: true, attempts: [expect.objectContaining({ status: 200 })] });
        expect(hook.requests).toHaveLength(1);
        await noBlobsLeft(blobCount);
        const replay = await queue.submitBatch(
          { type: 'extract', items: [{ ref: 'x', image: image('ok:replay') }], options: { faces: 'primary' } },
          { idempotencyKey: 'crash-key', bodyHash: 'crash-batch-body' },
        );
        expect(replay).toMatchObject({ created: false, batch: { id: accepted.id, state: 'completed' } });
      },
    );

    it('refuses webhook URLs that resolve to private addresses unless allowed', async () => {
      const { queue } = await setup({ allowPrivateWebhooks: false });
      const submit = (url: string) => queue.submitBatch({ type: 'extract', items: [{ ref: 'a', image: image('ok:p') }], options: { faces: 'primary' }, webhookUrl: url });
      await expect(submit('http://127.0.0.1:9/hook')).rejects.toBeInstanceOf(ValidationError);
      await expect(submit('http://localhost:9/hook')).rejects.toMatchObject({ code: 'invalid_webhook_url' });
      await expect(submit('ftp://example.com/')).rejects.toBeInstanceOf(ValidationError);
      for (const url of ['http://10.1.2.3/', 'http://169.254.169.254/latest', 'http://[::1]/', 'http://[fe80::1]/', 'http://[::ffff:192.168.0.1]/']) {
        await expect(assertWebhookUrlAllowed(url, { allowPrivate: false })).rejects.toBeInstanceOf(ValidationError);
      }
      await expect(assertWebhookUrlAllowed('http://8.8.8.8/', { allowPrivate: false })).resolves.toBeInstanceOf(URL);
    });

    it('carries the creating request id: on the batch record, into every item job and runJob job, with the batch in the context', async () => {
      const { queue } = await setup();
      const seen: Array<{ requestId: string | undefined; batch: JobContext['batch'] }> = [];
      await queue.startWorker({
        extract: async (_payload, ctx) => {
          seen.push({ requestId: ctx.requestId, batch: ctx.batch });
          return { ok: true };
        },
      });
      const before = Date.now();
      const { batch } = await queue.submitBatch({
        type: 'extract',
        items: [{ ref: 'a', image: image('ok:r1') }, { ref: 'b', image: image('ok:r2') }],
        options: { faces: 'primary' },
        requestId: 'req-batch-1',
      });
      expect(batch.request_id).toBe('req-batch-1');
      const done = await untilFinished(queue, batch.id);
      expect(done.request_id).toBe('req-batch-1');
      expect(seen.map((s) => s.requestId)).toEqual(['req-batch-1', 'req-batch-1']);
      expect(seen.map((s) => s.batch?.index).sort()).toEqual([0, 1]);
      for (const s of seen) {
        expect(s.batch?.id).toBe(batch.id);
        expect(s.batch?.createdAt).toBeGreaterThanOrEqual(before - 1000);
      }

      seen.length = 0;
      const blobKey = await queue.putBlob(image('ok:r3'));
      await queue.runJob('extract', { blobKey, options: {} }, { timeoutMs: 10_000, requestId: 'req-sync-1' });
      await queue.runJob('extract', { blobKey: await queue.putBlob(image('ok:r4')), options: {} }, { timeoutMs: 10_000 });
      expect(seen).toEqual([
        { requestId: 'req-sync-1', batch: undefined },
        { requestId: undefined, batch: undefined },
      ]);
      const { batch: anonymous } = await queue.submitBatch({ type: 'extract', items: [{ ref: 'c', image: image('ok:r5') }], options: {} });
      expect(anonymous.request_id).toBeNull();
    });

    it('stats count each queue on its own; the totals are the work queues', async () => {
      const { queue } = await setup();
      await queue.submitBatch({ type: 'extract', items: [1, 2, 3].map((i) => ({ ref: `x${i}`, image: image(`ok:s${i}`) })), options: {} });
      await queue.submitBatch({
        type: 'enroll',
        items: [{ ref: 'e', image: image('ok:s4'), options: { subjectId: 's' } }],
        options: { tenant: 't', collectionId: 'c' },
      });
      const stats = await queue.stats();
      expect(stats.queues.extract).toMatchObject({ waiting: 3, active: 0, delayed: 0 });
      expect(stats.queues.enroll).toMatchObject({ waiting: 1, active: 0 });
      expect(stats.queues.webhook).toMatchObject({ waiting: 0, active: 0 });
      expect(stats).toMatchObject({ waiting: 4, active: 0 });

      const gate = deferred();
      const started = deferred();
      await queue.startWorker(hashingHandlers(new Map(), { slow: gate.promise, started: started.resolve }), { concurrency: 1 });
      await queue.submitBatch({ type: 'extract', items: [{ ref: 'slow', image: image('slow:s5') }], options: {} });
      await vi.waitFor(async () => expect((await queue.stats()).queues.extract.waiting).toBe(0), { timeout: 10_000, interval: 25 });
      await started.promise;
      expect((await queue.stats()).queues.extract.active).toBe(1);
      gate.resolve();
      await vi.waitFor(async () => expect((await queue.stats()).queues.extract).toMatchObject({ active: 0, completed: 4 }), { timeout: 10_000, interval: 25 });
    });
  });
}
