import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min = 0) => z.coerce.number().int().min(min);
const num = () => z.coerce.number().finite();
const optionalUrl = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined))
  .pipe(z.url().optional());

/**
 * Every environment variable the service reads, with its default. The README's configuration table is
 * written from this list; keep them together.
 */
/**
 * Points where a process configured with FAILPOINTS kills itself (SIGKILL), so crash tests stop it exactly where a
 * real crash would hurt most instead of guessing at timing or editing its files. Never set in production.
 */
export const FAILPOINT_NAMES = ['migration-commit-fenced'] as const;
export type FailpointName = (typeof FAILPOINT_NAMES)[number];

/** A comma-separated setting as its trimmed, non-empty items. */
export const commaList = (value: string | undefined) => (value ?? '').split(',').map((k) => k.trim()).filter(Boolean);

export const envSchema = z.object({
  ROLE: z.enum(['all', 'gateway', 'worker']).default('all'),
  HOST: z.string().default('0.0.0.0'),
  PORT: int(0).max(65535).default(8000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  MAX_BODY_BYTES: int(1024).default(20 * 1024 * 1024),
  MAX_BATCH_BODY_BYTES: int(1024).default(512 * 1024 * 1024),

  MODELS_DIR: z.string().optional(),
  MODELS_MIRROR: z.string().optional(),
  MODELS_ALLOW_DOWNLOAD: bool.default(true),
  DETECTOR_MODEL: z.string().default('yunet-n'),
  EMBEDDER_MODEL: z.string().default('mobilefacenet'),
  /** Another manifest file (a user's own models); relative paths are from the repository root. */
  MODELS_MANIFEST: z.string().optional(),
  /** off: the check runs only for requests that ask (liveness=true); report: on every face; enforce: and a failed check refuses enrollment and verify. */
  LIVENESS: z.enum(['off', 'report', 'enforce']).default('off'),
  LIVENESS_MODEL: z.string().default('minifasnet-v2'),
  /** Overrides the liveness model's measured threshold (a probability of "live", 0..1). */
  LIVENESS_THRESHOLD: num().min(0).max(1).optional(),

  DETECT_SIZE: int(64).max(4096).default(640),
  DETECT_SCORE: num().min(0).max(1).default(0.6),
  DETECT_NMS_IOU: num().min(0).max(1).default(0.3),
  MAX_IMAGE_PIXELS: int(1).default(40_000_000),
  FLIP_TTA: bool.default(true),
  ORT_THREADS: int(0).default(1),
  PIPELINE_THREADS: int(1).max(64).default(1),
  /** auto: on when the machine has a core to spare for it (at least two per pipeline thread); see load-config. */
  PIPELINE_INFERENCE_THREAD: z.enum(['auto', 'true', 'false', '1', '0', 'yes', 'no']).default('auto'),
  ORT_PROVIDERS: z.string().default('cpu'),
  EMBED_BATCH_MAX: int(1).max(1024).default(16),
  EMBED_BATCH_WAIT_MS: num().min(0).max(1000).default(2),
  /** auto: detector passes of concurrent jobs run as batches on a GPU provider (not on the CPU, where it does not pay). */
  DETECT_BATCH: z.enum(['auto', 'on', 'off']).default('auto'),
  DETECT_BATCH_MAX: int(1).max(256).default(8),
  DETECT_BATCH_WAIT_MS: num().min(0).max(1000).default(2),

  MATCH_THRESHOLD: num().min(-1).max(1).optional(),

  QUALITY_MIN_EYE_DISTANCE: num().min(0).default(20),
  QUALITY_MIN_DET_SCORE: num().min(0).max(1).default(0.65),
  QUALITY_MIN_SHARPNESS: num().min(0).default(20),
  QUALITY_MIN_BRIGHTNESS: num().min(0).max(255).default(40),
  QUALITY_MAX_BRIGHTNESS: num().min(0).max(255).default(220),
  QUALITY_MIN_CONTRAST: num().min(0).default(14),
  QUALITY_MAX_YAW: num().min(0).max(90).default(40),
  QUALITY_MAX_ROLL: num().min(0).max(180).default(40),

  REDIS_URL: optionalUrl,
  QUEUE_PREFIX: z.string().min(1).default('facerec:'),
  REDIS_TIMEOUT_MS: int(100).max(60_000).default(1_000),
  QUEUE_MAX_WAITING: int(1).default(1000),
  SYNC_TIMEOUT_MS: int(100).default(30_000),
  WORKER_CONCURRENCY: int(1).max(256).default(4),
  ENROLL_CONCURRENCY: int(1).max(1024).default(16),
  BATCH_MAX_ITEMS: int(1).default(10_000),
  QUEUE_LOCK_MS: int(500).optional(),
  QUEUE_STALLED_INTERVAL_MS: int(100).optional(),
  WEBHOOK_SECRET: z.string().optional(),
  WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  /** Signs the page cursors handed to clients; unset: a random key per process. */
  CURSOR_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  QDRANT_URL: optionalUrl,
  QDRANT_API_KEY: z.string().optional(),
  /** Budget of each call to Qdrant, retries included: past it, 503 index_unavailable (like Redis's ~2 s). */
  QDRANT_TIMEOUT_MS: int(50).max(600_000).default(2_000),
  /** Prepended to every Qdrant collection name, so several deployments can share one server. */
  QDRANT_COLLECTION_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, _ and - only')
    .max(64)
    .default('facerec_'),
  /** Most bytes of JSON per upsert request; Qdrant refuses bodies over its max_request_size_mb (32 by default). */
  QDRANT_MAX_REQUEST_BYTES: int(64 * 1024).default(4 * 1024 * 1024),
  DATA_DIR: z.string().optional(),
  /** Comma-separated; unset or empty leaves the API open. */
  API_KEYS: z.string().optional(),
  /** Comma-separated keys for the operator pages (/admin/queues); unset or empty turns those pages off. */
  ADMIN_API_KEYS: z.string().optional(),
  /** A worker's /metrics and /health port (0: any free port, logged at start). */
  METRICS_PORT: int(0).max(65535).default(9464),
  HNSW_M: int(4).max(128).optional(),
  HNSW_EF_CONSTRUCT: int(8).max(2048).optional(),
  HNSW_EF_SEARCH: int(8).max(8192).optional(),
  VECTOR_QUANTIZATION: z.enum(['none', 'int8', 'float16']).default('int8'),
  /** Crash tests only: comma-separated FAILPOINT_NAMES. */
  FAILPOINTS: z
    .string()
    .optional()
    .transform(commaList)
    .pipe(z.array(z.enum(FAILPOINT_NAMES, { error: (i) => `unknown failpoint ${JSON.stringify(i.input)}; known: ${FAILPOINT_NAMES.join(', ')}` }))),
});

export type Env = z.infer<typeof envSchema>;
