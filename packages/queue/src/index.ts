export { createJobQueue, type CreateJobQueueOptions } from './create-queue.ts';
export type {
  JobQueue,
  BatchState,
  ItemStatus,
  BatchProgress,
  BatchSummary,
  BatchPage,
  BatchItemResult,
  BatchItemInput,
  PutBlobOptions,
  SubmitBatchInput,
  SubmitOptions,
  SubmitResult,
  RunJobOptions,
  WorkerOptions,
  WorkerHandle,
  QueueStats,
  QueueCounts,
  WebhookAttempt,
  WebhookStatus,
} from './queue-port.ts';
export {
  jobCatalog,
  type JobCatalog,
  type JobName,
  type HandlerJobName,
  type BatchJobName,
  type Payload,
  type PayloadInput,
  type Result,
  type Handler,
  type Handlers,
  type JobContext,
  type JobPolicyOverrides,
} from './job-catalog.ts';
export { bullmqPrefix, bullmqWaitListKey, openBullmqQueues, type BullmqQueueHandle, type StalledSettings } from './bullmq-queue.ts';
export { signWebhook, verifyWebhook, type WebhookSignatureHeaders } from './webhook-signature.ts';
export { assertWebhookUrlAllowed, isPrivateAddress } from './webhook-url-guard.ts';
