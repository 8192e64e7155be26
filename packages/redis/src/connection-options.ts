import type { RedisOptions } from 'ioredis';

/** Reconnect attempts start 100 ms apart and never wait more than a second: Redis is back as soon as it is. */
export function reconnectDelay(times: number): number {
  return Math.min(100 * times, 1_000);
}

/**
 * For work that must land however long Redis is away: BullMQ workers and their event streams (which need
 * `maxRetriesPerRequest: null` on their blocking connections), and the stores those workers write results to.
 * Commands wait in ioredis's offline queue and run when Redis is back.
 */
export function patientOptions(): { maxRetriesPerRequest: null; retryStrategy: (times: number) => number } {
  return { maxRetriesPerRequest: null, retryStrategy: reconnectDelay } satisfies RedisOptions;
}

/**
 * For requests someone is waiting on: a command issued while the connection is down fails at once instead of
 * waiting in an offline queue, and one that was cut off is not re-sent later behind the caller's back (it
 * already got its 503). A Redis that accepts connections but does not answer (stopped, overloaded) is caught
 * by RedisLink's heartbeat.
 */
export function failFastOptions(timeoutMs: number): RedisOptions {
  return {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: reconnectDelay,
  };
}
