import { createBullmqQueue, type StalledSettings } from './bullmq-queue.ts';
import { createInProcessQueue } from './in-process-queue.ts';
import type { JobPolicyOverrides } from './job-catalog.ts';
import type { JobQueue, QueueLog } from './queue-port.ts';

export interface CreateJobQueueOptions extends StalledSettings {
  /** Set: BullMQ on this Redis (fleet mode). Unset: everything in this process. */
  redisUrl?: string | undefined;
  /**
   * Without `redisUrl`: where the in-process queue keeps its jobs and batch uploads (`<dataDir>/queue`), so
   * accepted batches survive a crash and resume at start. Unset: memory only.
   */
  dataDir?: string | undefined;
  /** Namespace for every Redis key (queues, batches, blobs, idempotency keys). */
  prefix?: string;
  /** Waiting jobs above which submit/runJob answer 429. */
  maxWaiting: number;
  /** Retry-After sent with that 429. */
  retryAfterSeconds?: number;
  /** HMAC key for X-Webhook-Signature. */
  webhookSecret: string;
  /** Only for tests and trusted networks: lets webhooks reach loopback/private addresses. */
  allowPrivateWebhooks?: boolean;
  webhookTimeoutMs?: number;
  /** Safety-net expiry for image bytes whose job never ends (default 1 h). */
  blobTtlMs?: number;
  /** How long batch records, results and idempotency keys are kept (default 7 days). */
  retentionMs?: number;
  /** Overrides of the catalog's attempts/backoff/timeout per job. */
  policies?: JobPolicyOverrides;
  /** Fleet: how long a waiting caller gives an unresponsive Redis before a 503 (default 1 s). */
  redisTimeoutMs?: number;
  /** Errors with no caller to throw to (background bookkeeping). Default: console.error. */
  onError?: (err: unknown) => void;
  /** Events with no caller: work resumed after a restart, Redis unreachable / reachable again. Default: console. */
  log?: QueueLog;
}

const consoleLog: QueueLog = {
  info: (msg, fields) => console.info('[queue]', msg, fields ?? ''),
  error: (msg, fields) => console.error('[queue]', msg, fields ?? ''),
};

/** The one place that picks the adapter. */
export function createJobQueue(opts: CreateJobQueueOptions): JobQueue {
  const core = {
    maxWaiting: opts.maxWaiting,
    retryAfterSeconds: opts.retryAfterSeconds ?? 5,
    webhookSecret: opts.webhookSecret,
    allowPrivateWebhooks: opts.allowPrivateWebhooks ?? false,
    webhookTimeoutMs: opts.webhookTimeoutMs ?? 10_000,
    blobTtlMs: opts.blobTtlMs ?? 3_600_000,
    retentionMs: opts.retentionMs ?? 7 * 86_400_000,
    policies: opts.policies,
    prefix: opts.prefix ?? 'facerec:',
  };
  const log = opts.log ?? consoleLog;
  if (!opts.redisUrl) return createInProcessQueue({ ...core, dataDir: opts.dataDir, log }).queue;
  return createBullmqQueue({
    ...core,
    redisUrl: opts.redisUrl,
    redisTimeoutMs: opts.redisTimeoutMs ?? 1_000,
    log,
    onError: opts.onError ?? ((err) => console.error('[queue]', err)),
    lockDurationMs: opts.lockDurationMs,
    stalledIntervalMs: opts.stalledIntervalMs,
    maxStalledCount: opts.maxStalledCount,
  });
}
