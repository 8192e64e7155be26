import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { commaList, envSchema, type FailpointName } from './env-schema.ts';
import { projectRoot } from './project-root.ts';

/**
 * Whether each pipeline thread hands its model runs to an inference thread of its own. It pays only where a core is
 * free to run them while the pipeline thread decodes and aligns: measured +8-14 % images/s at one pipeline thread on
 * 2 cores, and -5 % at two (README, extraction speed). `auto` turns it on with at least two cores per pipeline thread.
 */
function inferenceThread(setting: string, pipelineThreads: number): boolean {
  if (setting === 'auto') return 2 * pipelineThreads <= availableParallelism();
  return setting === 'true' || setting === '1' || setting === 'yes';
}

export class ConfigError extends Error {
  constructor(issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface QualityThresholds {
  minEyeDistance: number;
  minDetScore: number;
  minSharpness: number;
  minBrightness: number;
  maxBrightness: number;
  minContrast: number;
  maxYaw: number;
  maxRoll: number;
}

export interface Config {
  /**
   * `all`: HTTP and a face worker in one process. `gateway`: HTTP only; workers run elsewhere (needs REDIS_URL).
   * `worker`: a face worker only (needs REDIS_URL), so one image's one entry point runs every role.
   */
  role: 'all' | 'gateway' | 'worker';
  server: { host: string; port: number; maxBodyBytes: number; maxBatchBodyBytes: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  models: { dir: string; mirror: string; allowDownload: boolean; manifestPath: string };
  pipeline: {
    detector: string;
    embedder: string;
    detectSize: number;
    detectScore: number;
    nmsIou: number;
    maxImagePixels: number;
    flipTta: boolean;
    threads: number;
    /** Worker threads running the pipeline, so inference never blocks the HTTP event loop. */
    pipelineThreads: number;
    providers: string[];
    /** Faces gathered across a worker's concurrent jobs into one embedder run (1: off). */
    embedBatchMax: number;
    /** Longest the first face of such a batch waits for more. */
    embedBatchWaitMs: number;
    /** Detector passes of a worker's concurrent jobs run as batches: auto = on a GPU provider only. */
    detectBatch: 'auto' | 'on' | 'off';
    detectBatchMax: number;
    detectBatchWaitMs: number;
    /** ORT sessions on a thread of their own per pipeline thread, so the pipeline's JS work overlaps inference. */
    inferenceThread: boolean;
    quality: QualityThresholds;
  };
  /** Overrides the embedder's calibrated threshold when set. */
  matchThreshold: number | undefined;
  /**
   * The passive liveness check. `off`: only requests that ask for it (liveness=true) run it, and its session
   * is created on the first such request; `report`: every face gets it; `enforce`: and a failed check refuses
   * enrollment and verify with 422 spoof_suspected.
   */
  liveness: { mode: 'off' | 'report' | 'enforce'; model: string; threshold: number | undefined };
  redisUrl: string | undefined;
  /**
   * How long a request gives an unresponsive Redis (queue or catalog) before answering 503; while Redis stays
   * unreachable, requests are refused at once. The reachability heartbeat runs every quarter of it.
   */
  redisTimeoutMs: number;
  queue: {
    prefix: string;
    /** Waiting jobs above which new work gets 429 + Retry-After. */
    maxWaiting: number;
    /** How long a synchronous endpoint waits for its job before answering 504. */
    syncTimeoutMs: number;
    workerConcurrency: number;
    /**
     * Enrollment items a gateway works on at once. Each mostly waits on an extract job run by the face
     * workers, so this should be at least the fleet's total WORKER_CONCURRENCY to keep them busy.
     */
    enrollConcurrency: number;
    batchMaxItems: number;
    /** BullMQ job lock; a SIGKILLed worker's jobs come back after about lockMs + stalledIntervalMs. Unset: the queue's default (30 s). */
    lockMs: number | undefined;
    /** How often live workers look for stalled jobs. Unset: the queue's default (15 s). */
    stalledIntervalMs: number | undefined;
  };
  /** Without a secret, receivers could not verify events, so requests naming a webhook_url are refused. */
  webhooks: { secret: string | undefined; allowPrivate: boolean };
  /** Key for the page cursors clients get; unset: a random one per process (fine for one gateway). */
  cursorSecret: string | undefined;
  qdrantUrl: string | undefined;
  qdrantApiKey: string | undefined;
  /** Budget of each Qdrant call, retries included; past it the request answers 503 index_unavailable. */
  qdrantTimeoutMs: number;
  qdrantCollectionPrefix: string;
  /** Most bytes of JSON per upsert request to Qdrant. */
  qdrantMaxRequestBytes: number;
  dataDir: string;
  /** Crash tests only: where this process kills itself (FAILPOINT_NAMES); empty everywhere else. */
  failpoints: FailpointName[];
  /** Plain keys as configured; the gateway hashes them at start and keeps only the hashes. */
  apiKeys: string[];
  /** Operator keys for /admin/*, kept apart from apiKeys (hashed the same way); empty turns the pages off. */
  adminApiKeys: string[];
  /** Where a worker serves /metrics and /health (the gateway serves both on its own port). */
  metricsPort: number;
  /** Unset fields take the vector index's measured defaults. */
  vectorIndex: {
    hnsw: { m?: number; efConstruct?: number; efSearch?: number };
    quantization: 'none' | 'int8' | 'float16';
  };
}

/**
 * Parses the environment and command line once, where the app is wired; everything else receives the
 * result. Command-line flags win over the environment.
 */
export function loadConfig(env: Record<string, string | undefined>, argv: readonly string[]): Config {
  const { values: flags } = parseArgs({
    args: [...argv],
    options: { host: { type: 'string' }, port: { type: 'string' }, role: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const merged = {
    ...env,
    ...(typeof flags.host === 'string' ? { HOST: flags.host } : {}),
    ...(typeof flags.port === 'string' ? { PORT: flags.port } : {}),
    ...(typeof flags.role === 'string' ? { ROLE: flags.role } : {}),
  };
  const parsed = envSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.QUALITY_MIN_BRIGHTNESS >= e.QUALITY_MAX_BRIGHTNESS) {
    throw new ConfigError(['QUALITY_MIN_BRIGHTNESS must be below QUALITY_MAX_BRIGHTNESS']);
  }
  if (e.ROLE === 'gateway' && !e.REDIS_URL) {
    throw new ConfigError(['ROLE=gateway sends work to separate workers and needs REDIS_URL; use ROLE=all for a single process']);
  }
  if (e.ROLE === 'worker' && !e.REDIS_URL) {
    throw new ConfigError(['ROLE=worker takes work from a shared queue and needs REDIS_URL; use ROLE=all for a single process']);
  }
  const fromRoot = (p: string) => resolve(projectRoot, p);
  return {
    role: e.ROLE,
    server: { host: e.HOST, port: e.PORT, maxBodyBytes: e.MAX_BODY_BYTES, maxBatchBodyBytes: e.MAX_BATCH_BODY_BYTES },
    logLevel: e.LOG_LEVEL,
    models: {
      dir: fromRoot(e.MODELS_DIR ?? 'models'),
      mirror: fromRoot(e.MODELS_MIRROR ?? '../shared/models'),
      allowDownload: e.MODELS_ALLOW_DOWNLOAD,
      manifestPath: fromRoot(e.MODELS_MANIFEST ?? 'models/manifest.json'),
    },
    pipeline: {
      detector: e.DETECTOR_MODEL,
      embedder: e.EMBEDDER_MODEL,
      detectSize: e.DETECT_SIZE,
      detectScore: e.DETECT_SCORE,
      nmsIou: e.DETECT_NMS_IOU,
      maxImagePixels: e.MAX_IMAGE_PIXELS,
      flipTta: e.FLIP_TTA,
      threads: e.ORT_THREADS,
      pipelineThreads: e.PIPELINE_THREADS,
      providers: e.ORT_PROVIDERS.split(',').map((p) => p.trim()).filter(Boolean),
      embedBatchMax: e.EMBED_BATCH_MAX,
      embedBatchWaitMs: e.EMBED_BATCH_WAIT_MS,
      detectBatch: e.DETECT_BATCH,
      detectBatchMax: e.DETECT_BATCH_MAX,
      detectBatchWaitMs: e.DETECT_BATCH_WAIT_MS,
      inferenceThread: inferenceThread(e.PIPELINE_INFERENCE_THREAD, e.PIPELINE_THREADS),
      quality: {
        minEyeDistance: e.QUALITY_MIN_EYE_DISTANCE,
        minDetScore: e.QUALITY_MIN_DET_SCORE,
        minSharpness: e.QUALITY_MIN_SHARPNESS,
        minBrightness: e.QUALITY_MIN_BRIGHTNESS,
        maxBrightness: e.QUALITY_MAX_BRIGHTNESS,
        minContrast: e.QUALITY_MIN_CONTRAST,
        maxYaw: e.QUALITY_MAX_YAW,
        maxRoll: e.QUALITY_MAX_ROLL,
      },
    },
    matchThreshold: e.MATCH_THRESHOLD,
    liveness: { mode: e.LIVENESS, model: e.LIVENESS_MODEL, threshold: e.LIVENESS_THRESHOLD },
    redisUrl: e.REDIS_URL,
    redisTimeoutMs: e.REDIS_TIMEOUT_MS,
    queue: {
      prefix: e.QUEUE_PREFIX,
      maxWaiting: e.QUEUE_MAX_WAITING,
      syncTimeoutMs: e.SYNC_TIMEOUT_MS,
      workerConcurrency: e.WORKER_CONCURRENCY,
      enrollConcurrency: e.ENROLL_CONCURRENCY,
      batchMaxItems: e.BATCH_MAX_ITEMS,
      lockMs: e.QUEUE_LOCK_MS,
      stalledIntervalMs: e.QUEUE_STALLED_INTERVAL_MS,
    },
    webhooks: { secret: e.WEBHOOK_SECRET, allowPrivate: e.WEBHOOK_ALLOW_PRIVATE },
    cursorSecret: e.CURSOR_SECRET,
    qdrantUrl: e.QDRANT_URL,
    qdrantApiKey: e.QDRANT_API_KEY && e.QDRANT_API_KEY.trim() !== '' ? e.QDRANT_API_KEY.trim() : undefined,
    qdrantTimeoutMs: e.QDRANT_TIMEOUT_MS,
    qdrantCollectionPrefix: e.QDRANT_COLLECTION_PREFIX,
    qdrantMaxRequestBytes: e.QDRANT_MAX_REQUEST_BYTES,
    dataDir: fromRoot(e.DATA_DIR ?? 'data'),
    failpoints: e.FAILPOINTS,
    apiKeys: commaList(e.API_KEYS),
    adminApiKeys: commaList(e.ADMIN_API_KEYS),
    metricsPort: e.METRICS_PORT,
    vectorIndex: {
      hnsw: {
        ...(e.HNSW_M !== undefined ? { m: e.HNSW_M } : {}),
        ...(e.HNSW_EF_CONSTRUCT !== undefined ? { efConstruct: e.HNSW_EF_CONSTRUCT } : {}),
        ...(e.HNSW_EF_SEARCH !== undefined ? { efSearch: e.HNSW_EF_SEARCH } : {}),
      },
      quantization: e.VECTOR_QUANTIZATION,
    },
  };
}

