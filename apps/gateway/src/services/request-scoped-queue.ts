import { logContext } from '@facerec/logger';
import type { JobQueue } from '@facerec/queue';

function currentRequestId(): string | undefined {
  const id = logContext()['request_id'];
  return typeof id === 'string' ? id : undefined;
}

/**
 * The queue, with every job it creates stamped with the id of the request being served (or, inside a job
 * handler, of the request that created that job), read from the log context the request-id middleware and
 * the job instrumentation set. Routes and services keep calling the port as before.
 */
export function requestScopedQueue(queue: JobQueue): JobQueue {
  return {
    mode: queue.mode,
    putBlob: (...args: Parameters<JobQueue['putBlob']>) => queue.putBlob(...args),
    deleteBlobs: (...args: Parameters<JobQueue['deleteBlobs']>) => queue.deleteBlobs(...args),
    runJob: (name, payload, opts) => queue.runJob(name, payload, { requestId: currentRequestId(), ...opts }),
    submitBatch: (input, opts) => queue.submitBatch({ requestId: currentRequestId(), ...input }, opts),
    getBatch: (...args: Parameters<JobQueue['getBatch']>) => queue.getBatch(...args),
    cancelBatch: (...args: Parameters<JobQueue['cancelBatch']>) => queue.cancelBatch(...args),
    startWorker: (...args: Parameters<JobQueue['startWorker']>) => queue.startWorker(...args),
    stats: () => queue.stats(),
    close: () => queue.close(),
  };
}
