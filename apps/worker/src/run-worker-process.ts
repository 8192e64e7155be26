import { type Config, jobQueueOptions } from '@facerec/config';
import { createLogger } from '@facerec/logger';
import { createJobQueue, type JobQueue } from '@facerec/queue';
import { Metrics, type MetricsServer, type ProcessHealth, queueDepthSource, startMetricsServer } from '@facerec/telemetry';
import { type FaceWorker, startFaceWorker } from './start-face-worker.ts';

const QUEUE_CHECK_MS = 1_000;

/** Ready while the shared queue answers (read at most once a second, never waited on for more than a second). */
function queueHealth(queue: JobQueue): () => Promise<ProcessHealth> {
  let checkedAt = 0;
  let last: ProcessHealth = { ready: false, detail: 'queue not checked yet' };
  return async () => {
    if (Date.now() - checkedAt < QUEUE_CHECK_MS) return last;
    checkedAt = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${QUEUE_CHECK_MS} ms`)), QUEUE_CHECK_MS)));
    last = await Promise.race([queue.stats(), timeout]).then(
      () => ({ ready: true, detail: 'ready' }),
      (err: Error) => ({ ready: false, detail: `queue unreachable: ${err.message}` }),
    );
    clearTimeout(timer);
    return last;
  };
}

/**
 * A fleet worker process: opens its metrics port first (so a startup probe sees 503 while the models load),
 * then loads the models and consumes the shared queue. SIGTERM/SIGINT stop taking jobs, finish the ones in
 * flight (the pod's terminationGracePeriodSeconds must cover one job lock), then exit.
 */
export async function runWorkerProcess(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel, { service: 'worker', pid: process.pid });
  if (!config.redisUrl) {
    logger.error('REDIS_URL is not set: a separate worker needs a shared queue. For a single process, run `npm start`.');
    process.exit(1);
  }
  const metrics = new Metrics();
  const queue = createJobQueue({
    ...jobQueueOptions(config),
    onError: (err) => logger.error('queue error', { error: (err as Error).message }),
    log: logger,
  });
  metrics.watchQueue(queueDepthSource(queue));

  let state: 'loading' | 'running' | 'stopping' = 'loading';
  const queueReady = queueHealth(queue);
  const health = async (): Promise<ProcessHealth> => {
    if (state === 'loading') return { ready: false, detail: 'models are loading' };
    if (state === 'stopping') return { ready: false, detail: 'shutting down: finishing in-flight jobs' };
    return queueReady();
  };
  let server: MetricsServer;
  try {
    server = await startMetricsServer({ host: config.server.host, port: config.metricsPort, metrics, health });
  } catch (err) {
    logger.error(`cannot open the metrics port ${config.metricsPort}: ${(err as Error).message}; give each worker on a host its own METRICS_PORT (0: any free port)`);
    await queue.close();
    process.exit(1);
  }
  logger.info(`metrics on ${server.url}/metrics`, { port: server.port });

  let worker: FaceWorker;
  try {
    worker = await startFaceWorker(config, queue, logger, metrics);
    state = 'running';
  } catch (err) {
    logger.error((err as Error).message);
    await server.close();
    await queue.close();
    process.exit(1);
  }
  const stop = async (signal: string) => {
    if (state === 'stopping') return;
    state = 'stopping';
    logger.info('shutting down: finishing in-flight jobs', { signal });
    await worker.close();
    await queue.close();
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
