import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Snapshot sources read when Prometheus scrapes (queue depth, collection sizes). */
export interface QueueDepthSource {
  read(): Promise<Record<string, { waiting: number; active: number; delayed: number; failed: number }>>;
}
export interface IndexSizeSource {
  read(): Promise<{ collections: number; faces: number; largest: number }>;
}

const SCRAPE_READ_MS = 1_500;

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Every metric the service exports, in one registry per process. Names follow Prometheus conventions
 * (`facerec_` namespace, base units in the name, `_total` counters, `_seconds` histograms) and every label has
 * a bounded set of values: no collection, subject, face or request ids. README "Metrics" lists them and
 * infra/grafana/facerec-dashboard.json is built on them (test/metrics.test.ts checks the dashboard against a
 * real scrape).
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'facerec_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'facerec_http_request_duration_seconds',
    help: 'Time from a request arriving to its response, by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly queueJobs = new Gauge({
    name: 'facerec_queue_jobs',
    help: 'Jobs in each queue by state (waiting, active, delayed, failed), read from the queue at scrape time; every process of a fleet reports the same shared queues',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
    collect: () => this.collectQueueDepth(),
  });
  readonly queueReachable = new Gauge({
    name: 'facerec_queue_reachable',
    help: '1 when the last scrape could read the queue counts, 0 when the queue (Redis) did not answer',
    registers: [this.registry],
    collect: () => this.collectQueueDepth(),
  });

  readonly jobs = new Counter({
    name: 'facerec_jobs_total',
    help: 'Job attempts run by this process, by queue, outcome (succeeded, retried, failed) and error code (none on success)',
    labelNames: ['queue', 'outcome', 'code'] as const,
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: 'facerec_job_duration_seconds',
    help: 'Time one job attempt ran in its handler, by queue and outcome',
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  readonly batchItems = new Counter({
    name: 'facerec_batch_items_total',
    help: 'Batch items finished by this process, by batch type, status (succeeded, failed) and error code (none on success)',
    labelNames: ['type', 'status', 'code'] as const,
    registers: [this.registry],
  });
  readonly batchItemDuration = new Histogram({
    name: 'facerec_batch_item_duration_seconds',
    help: 'Time from a batch being accepted to one of its items finishing (queueing included), by batch type and status',
    labelNames: ['type', 'status'] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });

  readonly pipelineStage = new Histogram({
    name: 'facerec_pipeline_stage_duration_seconds',
    help: 'Wall time of each face pipeline stage per image (decode, detect, align, embed, quality)',
    labelNames: ['stage'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly facesPerImage = new Histogram({
    name: 'facerec_pipeline_faces_per_image',
    help: 'Faces detected per image the pipeline analysed (0 for an image without a face)',
    buckets: [0, 1, 2, 3, 5, 10, 20, 50, 100],
    registers: [this.registry],
  });

  readonly vectorSearch = new Histogram({
    name: 'facerec_vector_search_duration_seconds',
    help: 'Time of one vector index search, by backend (embedded, qdrant) and outcome (ok, error)',
    labelNames: ['backend', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly indexCollections = new Gauge({
    name: 'facerec_index_collections',
    help: 'Collections this process has used since it started, whose sizes the two gauges below add up',
    registers: [this.registry],
    collect: () => this.collectIndexSizes(),
  });
  readonly indexFaces = new Gauge({
    name: 'facerec_index_faces',
    help: 'Faces held in the vector index by those collections, in total',
    registers: [this.registry],
    collect: () => this.collectIndexSizes(),
  });
  readonly indexLargestCollection = new Gauge({
    name: 'facerec_index_collection_faces_max',
    help: 'Faces in the largest of those collections',
    registers: [this.registry],
    collect: () => this.collectIndexSizes(),
  });

  private queueSource: QueueDepthSource | undefined;
  private indexSource: IndexSizeSource | undefined;
  // A scrape reads every metric at once: gauges filled by one read share the read in flight.
  private queueRead: Promise<void> | undefined;
  private indexRead: Promise<void> | undefined;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    // Standard process_* and nodejs_* names, so stock Node.js dashboards work alongside ours.
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** Reports this queue's depth at every scrape. */
  watchQueue(source: QueueDepthSource): void {
    this.queueSource = source;
  }

  /** Reports these collections' sizes at every scrape. */
  watchIndex(source: IndexSizeSource): void {
    this.indexSource = source;
  }

  /** The exposition text and its content type, for a /metrics handler. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private collectQueueDepth(): Promise<void> {
    this.queueRead ??= this.readQueueDepth().finally(() => (this.queueRead = undefined));
    return this.queueRead;
  }

  private collectIndexSizes(): Promise<void> {
    this.indexRead ??= this.readIndexSizes().finally(() => (this.indexRead = undefined));
    return this.indexRead;
  }

  private async readQueueDepth(): Promise<void> {
    if (!this.queueSource) return;
    this.queueJobs.reset();
    try {
      const queues = await within(SCRAPE_READ_MS, this.queueSource.read());
      for (const [queue, c] of Object.entries(queues)) {
        for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) this.queueJobs.set({ queue, state }, c[state]);
      }
      this.queueReachable.set(1);
    } catch {
      // A scrape must answer even while Redis is down: no depth samples, and the reachability gauge says why.
      this.queueReachable.set(0);
    }
  }

  private async readIndexSizes(): Promise<void> {
    if (!this.indexSource) return;
    const sizes = await within(SCRAPE_READ_MS, this.indexSource.read()).catch(() => undefined);
    if (!sizes) return;
    this.indexCollections.set(sizes.collections);
    this.indexFaces.set(sizes.faces);
    this.indexLargestCollection.set(sizes.largest);
  }
}
