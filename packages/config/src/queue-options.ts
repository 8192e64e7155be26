import type { Config } from './load-config.ts';

/**
 * The queue settings every process opens its job queue with, so a gateway and its workers cannot drift
 * apart (a different prefix or lock time would split or stall the fleet). Shaped for createJobQueue.
 */
export function jobQueueOptions(config: Config) {
  return {
    redisUrl: config.redisUrl,
    // Without Redis the in-process queue keeps accepted batches here, so they survive a crash.
    dataDir: config.dataDir,
    prefix: config.queue.prefix,
    redisTimeoutMs: config.redisTimeoutMs,
    maxWaiting: config.queue.maxWaiting,
    webhookSecret: config.webhooks.secret ?? '',
    allowPrivateWebhooks: config.webhooks.allowPrivate,
    ...(config.queue.lockMs !== undefined ? { lockDurationMs: config.queue.lockMs } : {}),
    ...(config.queue.stalledIntervalMs !== undefined ? { stalledIntervalMs: config.queue.stalledIntervalMs } : {}),
  };
}
