import { z } from 'zod';

/**
 * The one list of jobs the queue knows. The gateway's `runJob`/`submitBatch` and the worker's handlers are
 * both typed from it, so a payload change breaks the compile on both sides instead of at runtime.
 * Payloads are parsed with `schema` on enqueue AND on the worker (a worker may run newer/older code).
 */
export interface BackoffPolicy {
  type: 'exponential' | 'fixed';
  delayMs: number;
}

export interface RetentionPolicy {
  /** Seconds a finished job's record is kept in the queue (the batch record keeps results longer). */
  ageSeconds: number;
  count: number;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  schema: S;
  result: R;
  attempts: number;
  backoff: BackoffPolicy;
  /** Per attempt; a slower attempt fails with TimeoutError (transient, so it is retried). */
  timeoutMs: number;
  removeOnComplete: RetentionPolicy;
  removeOnFail: RetentionPolicy;
  /** Blob keys the job owns: deleted once the job ends for good (success, permanent failure, cancel). */
  blobKeys: (payload: z.infer<S>) => string[];
}

const box = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

/** One face chosen out of several: by its index among the detections, or the detection overlapping a box. */
const faceSelection = z.union([z.object({ index: z.number().int().min(0) }), z.object({ box })]);

const extractPayload = z.object({
  /** Image bytes live in the blob store; job JSON only carries the key. */
  blobKey: z.string().min(1),
  options: z.object({
    faces: z.enum(['primary', 'all']).default('primary'),
    select: faceSelection.optional(),
    flipTta: z.boolean().optional(),
    /** A manifest embedder other than the worker's own: a collection pinned to, or migrating to, another model. */
    embedder: z.string().min(1).optional(),
    /** Return each face's aligned crop (for collections that store them). */
    crops: z.boolean().optional(),
    /** Run the passive liveness check on each face. */
    liveness: z.boolean().optional(),
  }),
});

/** Aligned 112x112 crops (an encoded image in the blob) re-embedded without detection, by any manifest embedder. */
const embedPayload = z.object({
  blobKey: z.string().min(1),
  options: z.object({
    embedder: z.string().min(1).optional(),
    flipTta: z.boolean().optional(),
  }),
});

/** Opaque to the queue: whatever the face pipeline returns, as long as it is a JSON object. */
const opaqueResult = z.record(z.string(), z.unknown());

/**
 * One image of a batch enrollment. The collection is named by its internal id, so a collection dropped and
 * re-created under the same name while the job waits is not written to: the item fails collection_not_found.
 */
const enrollPayload = z.object({
  blobKey: z.string().min(1),
  options: z.object({
    tenant: z.string(),
    collectionId: z.string().min(1),
    subjectId: z.string().min(1).max(200),
    metadata: z.record(z.string(), z.unknown()).optional(),
    faceIndex: z.number().int().min(0).optional(),
    faceBox: box.optional(),
    allowMultiple: z.boolean().default(false),
    allowConflict: z.boolean().default(false),
    liveness: z.boolean().optional(),
  }),
});

/**
 * One face of a collection migrating to another embedder: its stored crop (the blob) re-embedded with the
 * migration's model into the shadow space. Run by the processes that hold the collection store.
 */
const migratePayload = z.object({
  blobKey: z.string().min(1),
  options: z.object({
    tenant: z.string(),
    collectionId: z.string().min(1),
    migrationId: z.string().min(1),
    faceId: z.string().min(1),
    subjectId: z.string().min(1),
  }),
});

const webhookPayload = z.object({ batchId: z.string().min(1) });

function define<S extends z.ZodType, R extends z.ZodType>(def: JobDefinition<S, R>): JobDefinition<S, R> {
  return def;
}

/** Face work (an image through the models, then maybe a store write): a few quick retries. */
const faceWorkRetries = { attempts: 3, backoff: { type: 'exponential', delayMs: 1_000 } } as const satisfies Pick<JobDefinition, 'attempts' | 'backoff'>;
/** Finished jobs stay an hour (failed ones a day) for GET /v1/jobs and the dashboard. */
const faceWorkRetention = {
  removeOnComplete: { ageSeconds: 3_600, count: 1_000 },
  removeOnFail: { ageSeconds: 86_400, count: 5_000 },
} as const satisfies Pick<JobDefinition, 'removeOnComplete' | 'removeOnFail'>;

export const jobCatalog = {
  extract: define({
    schema: extractPayload,
    result: opaqueResult,
    ...faceWorkRetries,
    timeoutMs: 60_000,
    ...faceWorkRetention,
    blobKeys: (p) => [p.blobKey],
  }),
  embed: define({
    schema: embedPayload,
    result: z.object({ embedder: z.string(), dimension: z.number().int(), feature: z.array(z.number()) }),
    ...faceWorkRetries,
    timeoutMs: 60_000,
    ...faceWorkRetention,
    blobKeys: (p) => [p.blobKey],
  }),
  enroll: define({
    schema: enrollPayload,
    result: opaqueResult,
    ...faceWorkRetries,
    // The handler waits on an extract job (itself up to 60 s when the fleet is busy) and then writes the store.
    timeoutMs: 120_000,
    ...faceWorkRetention,
    blobKeys: (p) => [p.blobKey],
  }),
  migrate: define({
    schema: migratePayload,
    result: opaqueResult,
    ...faceWorkRetries,
    // Waits on one embed job, then writes one vector.
    timeoutMs: 120_000,
    ...faceWorkRetention,
    blobKeys: (p) => [p.blobKey],
  }),
  webhook: define({
    schema: webhookPayload,
    result: z.object({ status: z.number() }),
    attempts: 6,
    // 2s, 4s, 8s, 16s, 32s: a receiver restarting for a minute still gets the event.
    backoff: { type: 'exponential', delayMs: 2_000 },
    // Covers the 10 s HTTP timeout plus DNS.
    timeoutMs: 15_000,
    removeOnComplete: { ageSeconds: 3_600, count: 1_000 },
    removeOnFail: { ageSeconds: 7 * 86_400, count: 5_000 },
    blobKeys: () => [],
  }),
} as const;

export type JobCatalog = typeof jobCatalog;
export type JobName = keyof JobCatalog;
/** Jobs the queue runs itself (webhook delivery); handlers are only supplied for the rest. */
export type InternalJobName = 'webhook';
export type HandlerJobName = Exclude<JobName, InternalJobName>;
/** Batches are made of these; each item's bytes become the job's blob. */
export type BatchJobName = 'extract' | 'enroll' | 'migrate';
/** Every queue, in the order workers subscribe to them. */
export const JOB_NAMES = ['extract', 'embed', 'enroll', 'migrate', 'webhook'] as const satisfies readonly JobName[];

export type Payload<N extends JobName> = z.output<JobCatalog[N]['schema']>;
export type PayloadInput<N extends JobName> = z.input<JobCatalog[N]['schema']>;
export type Result<N extends JobName> = z.output<JobCatalog[N]['result']>;
/** A batch item's payload minus the blob reference, which the queue fills in. */
export type BatchOptions<N extends BatchJobName> = PayloadInput<N>['options'];

export interface JobContext {
  jobId: string;
  /** 1-based attempt number. */
  attempt: number;
  maxAttempts: number;
  /** Aborted when the attempt times out, so a handler can stop spending CPU/GPU on it. */
  signal: AbortSignal;
  readBlob(key: string): Promise<Buffer>;
  updateProgress(progress: number): Promise<void>;
  /** X-Request-Id of the HTTP request that created the job, when one did. */
  requestId: string | undefined;
  /** Set when the job is an item of a batch; `createdAt` is when the batch was accepted (ms since epoch). */
  batch: { id: string; index: number; createdAt: number } | undefined;
}

export type Handler<N extends HandlerJobName> = (payload: Payload<N>, ctx: JobContext) => Promise<Result<N>>;

/**
 * A worker handles the jobs it has handlers for and leaves the rest to other processes: face workers take
 * `extract`, the processes that hold the collection store take `enroll`. Webhooks go to every worker.
 */
export type Handlers = {
  [N in HandlerJobName]?: Handler<N>;
};

/** Per-deployment overrides of the catalog's retry/timeout policy (tests use short backoffs). */
export type JobPolicyOverrides = {
  [N in JobName]?: Partial<Pick<JobDefinition, 'attempts' | 'backoff' | 'timeoutMs'>>;
};

export interface JobPolicy {
  attempts: number;
  backoff: BackoffPolicy;
  timeoutMs: number;
}

export function jobPolicy(name: JobName, overrides: JobPolicyOverrides | undefined): JobPolicy {
  const def = jobCatalog[name];
  return {
    attempts: overrides?.[name]?.attempts ?? def.attempts,
    backoff: overrides?.[name]?.backoff ?? def.backoff,
    timeoutMs: overrides?.[name]?.timeoutMs ?? def.timeoutMs,
  };
}

export function backoffDelay(backoff: BackoffPolicy, attemptsMade: number): number {
  return backoff.type === 'fixed' ? backoff.delayMs : backoff.delayMs * 2 ** Math.max(0, attemptsMade - 1);
}
