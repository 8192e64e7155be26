import { ServiceUnavailableError } from '@facerec/errors';
import type { Extraction } from '@facerec/face';
import type { JobQueue } from '@facerec/queue';
import type { EmbeddedCrop, ExtractOptions, ExtractorStatus, FaceExtractor } from './face-extractor.ts';

export interface QueuedExtractorOptions {
  mode: 'embedded' | 'fleet';
  timeoutMs: number;
  /** Whether extraction can start now: the local worker's models (a fleet gateway is always ready). */
  readiness: () => Promise<ExtractorStatus>;
  /** Everything /health reports: models, and the queue and catalog when they live in Redis. */
  health: () => Promise<ExtractorStatus>;
}

/**
 * Synchronous extraction through the queue: the bytes go to the blob store, one `extract` job carries the
 * key, and the caller awaits the worker's result (504 after `timeoutMs`; the job still completes).
 */
export function createQueuedFaceExtractor(queue: JobQueue, opts: QueuedExtractorOptions): FaceExtractor {
  return {
    mode: opts.mode,
    status: opts.health,
    async extract(image: Uint8Array, extractOpts: ExtractOptions): Promise<Extraction> {
      // Accepted work does not need the check: its job simply waits in the queue until a worker has models.
      if (!extractOpts.admitted) {
        const status = await opts.readiness();
        if (!status.ready) throw new ServiceUnavailableError(`Face models are not ready (${status.detail})`, 'models_not_ready');
      }
      const blobKey = await queue.putBlob(image);
      const options = {
        faces: extractOpts.faces,
        ...(extractOpts.select !== undefined ? { select: extractOpts.select } : {}),
        ...(extractOpts.flipTta !== undefined ? { flipTta: extractOpts.flipTta } : {}),
        ...(extractOpts.embedder !== undefined ? { embedder: extractOpts.embedder } : {}),
        ...(extractOpts.crops ? { crops: true } : {}),
        ...(extractOpts.liveness ? { liveness: true } : {}),
      };
      return (await queue.runJob('extract', { blobKey, options }, { timeoutMs: opts.timeoutMs, admitted: extractOpts.admitted ?? false })) as unknown as Extraction;
    },
    async embedCrop(crop: Uint8Array, embedOpts: { embedder?: string | undefined; admitted?: boolean | undefined }): Promise<EmbeddedCrop> {
      const blobKey = await queue.putBlob(crop);
      const options = embedOpts.embedder !== undefined ? { embedder: embedOpts.embedder } : {};
      return queue.runJob('embed', { blobKey, options }, { timeoutMs: opts.timeoutMs, admitted: embedOpts.admitted ?? false });
    },
  };
}
