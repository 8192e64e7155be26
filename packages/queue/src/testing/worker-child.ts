/**
 * A worker in its own process, for crash tests: `tsx worker-child.ts <redisUrl> <prefix> <secret>`.
 * Items whose bytes start with "hang" block forever, so the parent can SIGKILL it with jobs in flight.
 * Prints `hanging` once per blocked job.
 */
import { createHash } from 'node:crypto';
import { createJobQueue } from '../create-queue.ts';

const [redisUrl, prefix, secret] = process.argv.slice(2);
if (!redisUrl || !prefix || !secret) throw new Error('usage: worker-child.ts <redisUrl> <prefix> <secret>');

const queue = createJobQueue({ redisUrl, prefix, webhookSecret: secret, maxWaiting: 10_000, lockDurationMs: 2_000, stalledIntervalMs: 1_000 });
await queue.startWorker(
  {
    extract: async (payload, ctx) => {
      const bytes = await ctx.readBlob(payload.blobKey);
      if (bytes.subarray(0, 4).toString('latin1') === 'hang') {
        process.stdout.write('hanging\n');
        await new Promise(() => {});
      }
      return { sha256: createHash('sha256').update(bytes).digest('hex') };
    },
  },
  { concurrency: 4 },
);
process.stdout.write('ready\n');
