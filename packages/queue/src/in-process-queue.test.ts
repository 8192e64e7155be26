import { MemoryBlobStore } from './blob-store.ts';
import { registerJobQueueContract } from './contract/job-queue-contract.ts';
import { createInProcessQueue } from './in-process-queue.ts';
import { createJobQueue } from './create-queue.ts';
import { describe, expect, it } from 'vitest';

registerJobQueueContract('in-process', () => ({
  async create(opts) {
    const blobs = new MemoryBlobStore('test:');
    const queue = createInProcessQueue(
      {
        maxWaiting: opts.maxWaiting,
        retryAfterSeconds: opts.retryAfterSeconds ?? 5,
        webhookSecret: opts.webhookSecret,
        allowPrivateWebhooks: opts.allowPrivateWebhooks ?? false,
        webhookTimeoutMs: 10_000,
        blobTtlMs: 60_000,
        retentionMs: 60_000,
        policies: opts.policies,
        prefix: 'test:',
      },
      { blobs },
    );
    return { queue, blobCount: async () => blobs.size };
  },
  async cleanup() {},
}));

describe('createJobQueue', () => {
  it('picks the in-process adapter without a Redis URL', async () => {
    const queue = createJobQueue({ maxWaiting: 10, webhookSecret: 's' });
    expect(queue.mode).toBe('in-process');
    await queue.close();
  });
});
