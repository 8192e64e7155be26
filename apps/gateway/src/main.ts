/** `npm start`: the whole service in one process (embedded default); ROLE picks gateway-only or worker. */
import { type Config, loadProcessConfig } from '@facerec/config';
import { createLogger } from '@facerec/logger';
import { startServer } from './server.ts';
import { buildGatewayDeps } from './wiring.ts';

async function serve(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel, { service: 'gateway' });
  try {
    const deps = await buildGatewayDeps(config, logger);
    const server = await startServer(config, deps);
    logger.info(`listening on ${server.url} (docs: ${server.url}/docs)`, { mode: deps.extractor.mode, threshold: deps.matcher.threshold });
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info('shutting down', { signal });
      await server.close();
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  } catch (err) {
    logger.error((err as Error).message);
    process.exit(1);
  }
}

const config = loadProcessConfig();
// One image, one entry point: ROLE=worker runs a fleet worker instead of the HTTP service.
if (config.role === 'worker') await (await import('@facerec/worker')).runWorkerProcess(config);
else await serve(config);
