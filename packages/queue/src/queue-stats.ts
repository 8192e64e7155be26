import type { JobName } from './job-catalog.ts';
import type { QueueCounts, QueueStats } from './queue-port.ts';

export const emptyCounts = (): QueueCounts => ({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });

/**
 * The top-level counts are the work queues' (extract, embed, enroll, migrate): webhook deliveries are bookkeeping, and
 * counting them would make /health and backpressure readings move with receivers' uptime.
 */
export function toQueueStats(queues: Record<JobName, QueueCounts>): QueueStats {
  const total = emptyCounts();
  for (const name of ['extract', 'embed', 'enroll', 'migrate'] as const) {
    for (const key of Object.keys(total) as (keyof QueueCounts)[]) total[key] += queues[name][key];
  }
  return { ...total, queues };
}
