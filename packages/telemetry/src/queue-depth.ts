import type { JobQueue } from '@facerec/queue';
import type { QueueDepthSource } from './metrics.ts';

/** Queue depth per queue from the port's stats(), so both adapters report it the same way. */
export function queueDepthSource(queue: Pick<JobQueue, 'stats'>): QueueDepthSource {
  return { read: async () => (await queue.stats()).queues };
}
