import type { Logger } from '@facerec/logger';
import type { BullmqQueueHandle, JobQueue } from '@facerec/queue';
import type { Metrics } from '@facerec/telemetry';
import type { CollectionService, CursorSigner } from '@facerec/collections';
import type { FaceExtractor } from './services/face-extractor.ts';
import type { FeatureMatcher } from './services/feature-matcher.ts';
import type { LivenessPolicy } from './services/liveness/liveness-policy.ts';
import type { MigrationService } from './services/migrations/index.ts';
import type { CollectionTransfer } from './services/transfer/index.ts';

/** What the routes need, built once by main.ts (or a test) and passed to createApp. */
export interface GatewayDeps {
  extractor: FaceExtractor;
  queue: JobQueue;
  matcher: FeatureMatcher;
  collections: CollectionService;
  /** Whole collections out (JSON Lines) and back in. */
  transfer: CollectionTransfer;
  /** Collections moved to another embedder (re-embedding their stored crops). */
  migrations: MigrationService;
  /** When the passive liveness check runs and whether a failed one refuses (LIVENESS). */
  liveness: LivenessPolicy;
  /** Authenticates the page cursors of subject listings. */
  cursors: CursorSigner;
  /** Configured API keys (empty: the API is open); the middleware keeps only their hashes. */
  apiKeys: readonly string[];
  /** Known from the manifest before any model loads, so /health can name them while loading. */
  model: { detector: string; embedder: string; dimension: number };
  logger: Logger;
  maxBodyBytes: number;
  /** Batch submissions carry many images, so they get their own, larger body limit. */
  maxBatchBodyBytes: number;
  batchMaxItems: number;
  webhooksEnabled: boolean;
  version: string;
  /** This process's Prometheus registry, served at /metrics. */
  metrics: Metrics;
  /** ADMIN_API_KEYS: open /admin/* (kept apart from apiKeys; empty turns those pages off). */
  adminApiKeys: readonly string[];
  /** BullMQ handles for the queue dashboard: set in fleet mode when admin keys are configured. */
  queueDashboard: BullmqQueueHandle[] | undefined;
  /** Stops the local worker (finishing in-flight jobs) and the queue connections. */
  close(): Promise<void>;
}
