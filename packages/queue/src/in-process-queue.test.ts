import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerJobQueueContract, type ContractOptions } from './contract/job-queue-contract.ts';
import { createJobQueue } from './create-queue.ts';
import { createInProcessQueue } from './in-process-queue.ts';

const silent = { info: () => {}, error: () => {} };

function inProcess(opts: ContractOptions, dataDir: string | undefined) {
  return createInProcessQueue({
    maxWaiting: opts.maxWaiting,
    retryAfterSeconds: opts.retryAfterSeconds ?? 5,
    webhookSecret: opts.webhookSecret,
    allowPrivateWebhooks: opts.allowPrivateWebhooks ?? false,
    webhookTimeoutMs: 10_000,
    blobTtlMs: 60_000,
    retentionMs: 60_000,
    policies: opts.policies,
    prefix: 'test:',
    dataDir,
    log: silent,
  });
}

registerJobQueueContract(
  'in-process, durable (DATA_DIR)',
  () => {
    let dir: string | undefined;
    const location = async () => ({ dataDir: (dir ??= mkdtempSync(join(tmpdir(), 'facerec-queue-'))) });
    return {
      location,
      async create(opts) {
        const { queue, heldBlobs } = inProcess(opts, (await location()).dataDir);
        return { queue, blobCount: async () => heldBlobs() };
      },
      async cleanup() {
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  { survivesCrash: true },
);

registerJobQueueContract(
  'in-process, memory only',
  () => ({
    async create(opts) {
      const { queue, heldBlobs } = inProcess(opts, undefined);
      return { queue, blobCount: async () => heldBlobs() };
    },
    async cleanup() {},
  }),
  { survivesCrash: false },
);

describe('createJobQueue', () => {
  it('picks the in-process adapter without a Redis URL', async () => {
    const queue = createJobQueue({ maxWaiting: 10, webhookSecret: 's' });
    expect(queue.mode).toBe('in-process');
    await queue.close();
  });
});
