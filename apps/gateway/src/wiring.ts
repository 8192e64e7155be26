import { createHash, randomBytes } from 'node:crypto';
import type { OpenSetCalibration } from '@facerec/calibration';
import { type Config, jobQueueOptions, projectVersion } from '@facerec/config';
import type { Logger } from '@facerec/logger';
import { defaultThreshold, type EmbedderEntry, findModel, loadManifest, prepareModels } from '@facerec/models';
import { createJobQueue, type JobQueue, openBullmqQueues } from '@facerec/queue';
import { instrumentHandlers, instrumentVectorIndex, Metrics, queueDepthSource } from '@facerec/telemetry';
import { createVectorIndex } from '@facerec/vector-index';
import type { FaceWorker } from '@facerec/worker';
import type { GatewayDeps } from './gateway-deps.ts';
import { CollectionService, CursorSigner, createCatalog } from '@facerec/collections';
import type { ExtractorStatus } from './services/face-extractor.ts';
import { FeatureMatcher, type ThresholdSource } from './services/feature-matcher.ts';
import { createEnrollJobHandler } from './services/enrollment/index.ts';
import { createMigrateJobHandler, MigrationService, migrationShadowWrites } from './services/migrations/index.ts';
import { LivenessPolicy } from './services/liveness/liveness-policy.ts';
import { createQueuedFaceExtractor } from './services/queued-face-extractor.ts';
import { CollectionTransfer } from './services/transfer/index.ts';
import { requestScopedQueue } from './services/request-scoped-queue.ts';
import { createFailpoints } from './failpoints/index.ts';

const calibrate = (id: string) => `npm run models:calibrate -- --model ${id} --data <folder of identity folders>[,<folder>...] --write`;

/** Collections decide 1:N by the open-set calibration: without one a model cannot serve them honestly. */
function requireOpenSetCalibration(embedder: EmbedderEntry): OpenSetCalibration {
  if (!embedder.open_set) {
    throw new Error(
      `Embedder "${embedder.id}" has no open-set calibration in the manifest, so collections could not decide who is who with it; ` +
        `run \`${calibrate(embedder.id)}\` on labelled photos first (README, "Bring your own embedder").`,
    );
  }
  return embedder.open_set;
}

function resolveThreshold(config: Config, embedder: EmbedderEntry): ThresholdSource {
  if (config.matchThreshold !== undefined) return { value: config.matchThreshold, source: 'MATCH_THRESHOLD' };
  const calibrated = defaultThreshold(embedder);
  if (calibrated === null || !embedder.thresholds) {
    throw new Error(`Embedder "${embedder.id}" has no calibrated threshold in the manifest; set MATCH_THRESHOLD or run \`${calibrate(embedder.id)}\`.`);
  }
  const t = embedder.thresholds;
  return { value: calibrated, source: `calibrated at FAR ${t.default.replace('far_1e', '1e-')} on ${t.dataset}` };
}

export type StartLocalWorker = (config: Config, queue: JobQueue, logger: Logger, metrics: Metrics) => Promise<FaceWorker>;

export interface WiringOptions {
  /** How the all-in-one process starts its worker; a test can hold it back to observe the loading state. */
  startLocalWorker?: StartLocalWorker;
}

const ready: ExtractorStatus = { ready: true, detail: 'ready' };

/** Role `all`: ready once this process's worker has its models loaded. */
function localReadiness(starting: Promise<FaceWorker>, logger: Logger) {
  let status: ExtractorStatus = { ready: false, detail: 'models are loading' };
  const settled = starting.then(
    (worker) => {
      status = ready;
      return worker;
    },
    (err: Error) => {
      status = { ready: false, detail: `model load failed: ${err.message}` };
      logger.error('model load failed', { error: err.message, stack: err.stack });
      return undefined;
    },
  );
  return { readiness: async () => status, settled };
}

/**
 * Fleet: whether the shared queue answers, checked at most once a second. During an outage the check fails
 * within REDIS_TIMEOUT_MS (at once while the outage lasts), so /health never waits for Redis to return.
 */
function queueReadiness(queue: JobQueue) {
  let checked = 0;
  let status: ExtractorStatus = { ready: false, detail: 'queue not checked yet' };
  return async () => {
    if (Date.now() - checked > 1_000) {
      checked = Date.now();
      status = await queue.stats().then(
        () => ready,
        (err: Error) => ({ ready: false, detail: `queue unreachable: ${err.message}` }),
      );
    }
    return status;
  };
}

/**
 * Builds everything the HTTP layer needs from the parsed config: the queue (in-process, or BullMQ when
 * REDIS_URL is set) and, in role `all`, a face worker in this process. Model files are verified before the
 * port opens, so a broken install fails at start with a clear message; the sessions then load in the
 * background while /health answers 503.
 */
export async function buildGatewayDeps(config: Config, logger: Logger, opts: WiringOptions = {}): Promise<GatewayDeps> {
  const manifest = await loadManifest(config.models.manifestPath);
  const detector = findModel(manifest, config.pipeline.detector, 'detect');
  const embedder = findModel(manifest, config.pipeline.embedder, 'embed');
  const threshold = resolveThreshold(config, embedder);
  const calibration = requireOpenSetCalibration(embedder);
  if (config.role === 'all') {
    const liveness = config.liveness.mode === 'off' ? [] : [findModel(manifest, config.liveness.model, 'liveness')];
    await prepareModels([detector, embedder, ...liveness], {
      modelsDir: config.models.dir,
      mirrorDir: config.models.mirror,
      allowDownload: config.models.allowDownload,
      log: (line) => logger.info(line),
    });
  }
  if (!config.webhooks.secret) logger.warn('WEBHOOK_SECRET is not set: requests that name a webhook_url will be refused');

  if (config.redisUrl && !config.cursorSecret) {
    logger.warn('CURSOR_SECRET is not set: page cursors are signed with a key of this process, so with several gateways set the same CURSOR_SECRET on each');
  }
  const cursorKey = config.cursorSecret ? createHash('sha256').update(config.cursorSecret).digest() : randomBytes(32);
  if (config.apiKeys.length === 0) logger.warn('API_KEYS is not set: the API is open to anyone who can reach it, and every caller shares the same collections');
  const metrics = new Metrics();
  const catalog = createCatalog({
    redisUrl: config.redisUrl,
    prefix: config.queue.prefix,
    dataDir: config.dataDir,
    redisTimeoutMs: config.redisTimeoutMs,
    onChange: (state) =>
      state.up
        ? logger.info('catalog: Redis reachable again')
        : logger.error('catalog: Redis unreachable; collection requests answer 503 catalog_unavailable', { reason: state.reason }),
  });
  const index = instrumentVectorIndex(
    await createVectorIndex({
      dataDir: config.dataDir,
      qdrantUrl: config.qdrantUrl,
      qdrantApiKey: config.qdrantApiKey,
      qdrantTimeoutMs: config.qdrantTimeoutMs,
      qdrantCollectionPrefix: config.qdrantCollectionPrefix,
      qdrantMaxRequestBytes: config.qdrantMaxRequestBytes,
      hnsw: config.vectorIndex.hnsw,
      quantization: { type: config.vectorIndex.quantization },
      onWarning: (message, details) => logger.warn(message, details),
    }),
    metrics,
  );
  const collections = new CollectionService({
    catalog,
    index,
    embedder: { id: embedder.id, dimension: embedder.output_dim },
    calibration,
    // Collections pinned to (or migrated to) another calibrated manifest embedder are served with it.
    others: manifest.models.flatMap((m) => (m.task === 'embed' && m.id !== embedder.id && m.open_set ? [{ id: m.id, dimension: m.output_dim, calibration: m.open_set }] : [])),
  });

  // Every job a request creates carries its X-Request-Id (see request-scoped-queue.ts).
  const queue = requestScopedQueue(createJobQueue({
    ...jobQueueOptions(config),
    onError: (err) => logger.error('queue error', { error: (err as Error).message }),
    log: logger,
  }));
  metrics.watchQueue(queueDepthSource(queue));
  // The dashboard reads BullMQ directly; it exists only in fleet mode and only for operators with a key.
  const dashboardQueues = config.redisUrl && config.adminApiKeys.length > 0 ? Object.values(openBullmqQueues({ url: config.redisUrl }, config.queue.prefix)) : undefined;
  for (const q of dashboardQueues ?? []) q.on('error', (err) => logger.error('queue dashboard connection error', { error: err.message }));

  let closeWorker = async () => {};
  // Whether extraction can start: the local models (role all); in a fleet the queue itself answers 503 when down.
  let readiness = async () => ready;
  if (config.role === 'all') {
    // Imported lazily: a gateway-only process never loads onnxruntime or sharp.
    const start: StartLocalWorker = opts.startLocalWorker ?? (async (...args) => (await import('@facerec/worker')).startFaceWorker(...args));
    const local = localReadiness(start(config, queue, logger, metrics), logger);
    readiness = local.readiness;
    closeWorker = async () => {
      await (await local.settled)?.close();
    };
  }

  const queueReachable = config.redisUrl ? queueReadiness(queue) : async () => ready;
  const extractor = createQueuedFaceExtractor(queue, {
    mode: config.redisUrl ? 'fleet' : 'embedded',
    timeoutMs: config.queue.syncTimeoutMs,
    readiness,
    // What /health reports: the first thing that keeps the service from answering, with why.
    health: async () => {
      for (const check of [readiness, queueReachable]) {
        const status = await check();
        if (!status.ready) return status;
      }
      const unreachable = catalog.unreachable();
      return unreachable ? { ready: false, detail: `collections catalog unreachable: ${unreachable}` } : ready;
    },
  });
  // Every gateway holds the collection store, so every gateway works through batch enrollments; the face
  // work inside them goes to the face workers like any other extract job.
  const liveness = new LivenessPolicy(config.liveness.mode);
  const transfer = new CollectionTransfer({ catalog, index, collections, extractor });
  const migrations = new MigrationService({ catalog, index, extractor, collections, queue, logger, failpoints: createFailpoints(config.failpoints) });
  collections.setShadowWrites(migrationShadowWrites({ catalog, index, extractor }));
  const handlers = { enroll: createEnrollJobHandler(collections, extractor, liveness), migrate: createMigrateJobHandler({ catalog, index, extractor }) };
  const enrollWorker = await queue.startWorker(instrumentHandlers(handlers, { metrics, logger }), {
    concurrency: config.queue.enrollConcurrency,
  });

  // Resumes migrations a crash interrupted, and moves on those whose job ended.
  migrations.startBackground();

  return {
    extractor,
    queue,
    matcher: new FeatureMatcher(embedder.output_dim, threshold),
    collections,
    liveness,
    transfer,
    migrations,
    cursors: new CursorSigner(cursorKey),
    apiKeys: config.apiKeys,
    model: { detector: detector.id, embedder: embedder.id, dimension: embedder.output_dim },
    logger,
    maxBodyBytes: config.server.maxBodyBytes,
    maxBatchBodyBytes: config.server.maxBatchBodyBytes,
    batchMaxItems: config.queue.batchMaxItems,
    webhooksEnabled: Boolean(config.webhooks.secret),
    version: projectVersion,
    metrics,
    adminApiKeys: config.adminApiKeys,
    queueDashboard: dashboardQueues,
    async close() {
      await migrations.close();
      await enrollWorker.close();
      await closeWorker();
      await Promise.all((dashboardQueues ?? []).map((q) => q.close()));
      await queue.close();
      await collections.close();
    },
  };
}
