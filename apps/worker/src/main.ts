/** `npm run start:worker`: a queue worker running the face pipeline (fleet mode; needs REDIS_URL). */
import { jobQueueOptions, loadProcessConfig } from '@facerec/config';
import { createLogger } from '@facerec/logger';
import { createJobQueue } from '@facerec/queue';
import { startFaceWorker } from './start-face-worker.ts';

const config = loadProcessConfig();
const logger = createLogger(config.logLevel, { service: 'worker', pid: process.pid });

if (!config.redisUrl) {
  logger.error('REDIS_URL is not set: a separate worker needs a shared queue. For a single process, run `npm start`.');
  process.exit(1);
}
const queue = createJobQueue({
  ...jobQueueOptions(config),
  onError: (err) => logger.error('queue error', { error: (err as Error).message }),
  log: logger,
});
try {
  const worker = await startFaceWorker(config, queue, logger);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down: finishing in-flight jobs', { signal });
    await worker.close();
    await queue.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (err) {
  logger.error((err as Error).message);
  await queue.close();
  process.exit(1);
}
