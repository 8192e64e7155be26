/**
 * A queue in its own process, for crash tests: `tsx worker-child.ts '<ChildSpec as JSON>'`. It opens the queue
 * at `spec.queue` (a Redis prefix, or a data directory), starts a worker that hashes each image, and can
 * submit the crash batch itself (an in-process queue is only reachable from its own process).
 *
 * Prints `ready` once consuming, `accepted <{id, created}>` after a submission, and `hanging` once per job it
 * blocks on: images whose bytes start with "hang", and every call after `hangAfter` completed ones. SIGTERM
 * closes the queue (in-flight jobs finish) and exits 0.
 */
import { createJobQueue } from '../create-queue.ts';
import { CRASH_REQUEST_ID, crashBatchImages, sha256Hex } from './crash-batch.ts';
import type { ChildSpec } from './queue-child.ts';

const spec = JSON.parse(process.argv[2] ?? '') as ChildSpec;

const queue = createJobQueue({
  ...spec.queue,
  webhookSecret: spec.secret,
  allowPrivateWebhooks: true,
  maxWaiting: 10_000,
  lockDurationMs: 2_000,
  stalledIntervalMs: 1_000,
  policies: { extract: { backoff: { type: 'fixed', delayMs: 20 } }, webhook: { backoff: { type: 'fixed', delayMs: 20 } } },
});
let completed = 0;
await queue.startWorker(
  {
    extract: async (payload, ctx) => {
      const bytes = await ctx.readBlob(payload.blobKey);
      if (bytes.subarray(0, 4).toString('latin1') === 'hang' || (spec.hangAfter !== undefined && completed >= spec.hangAfter)) {
        process.stdout.write('hanging\n');
        await new Promise(() => {});
      }
      completed++;
      return { sha256: sha256Hex(bytes), requestId: ctx.requestId ?? null };
    },
  },
  { concurrency: spec.concurrency ?? 4 },
);
process.stdout.write('ready\n');

if (spec.submit) {
  const { batch, created } = await queue.submitBatch(
    {
      type: 'extract',
      items: crashBatchImages(spec.submit.items).map((image, i) => ({ ref: `item-${i}`, image })),
      options: { faces: 'primary' },
      webhookUrl: spec.submit.webhookUrl,
      requestId: CRASH_REQUEST_ID,
    },
    { idempotencyKey: spec.submit.idempotencyKey, bodyHash: 'crash-batch-body' },
  );
  process.stdout.write(`accepted ${JSON.stringify({ id: batch.id, created })}\n`);
}

process.once('SIGTERM', () => {
  void queue.close().then(() => process.exit(0));
});
