import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '@facerec/config';
import type { Logger } from '@facerec/logger';
import { createJobQueue, type JobQueue } from '@facerec/queue';
import { startFaceWorker, type FaceWorker } from './start-face-worker.ts';

const photo = fileURLToPath(new URL('../../../../shared/faces/krasserm_lfw10/Tony_Blair/1.jpg', import.meta.url));

// The lines the worker logs, kept instead of written to stderr so the test can read them.
const lines: { msg: string; fields: Record<string, unknown> }[] = [];
const keep = (msg: string, fields: Record<string, unknown> = {}) => void lines.push({ msg, fields });
const logger: Logger = { debug: keep, info: keep, warn: keep, error: keep };

let queue: JobQueue;
let worker: FaceWorker;
beforeAll(async () => {
  // GPU providers first: on a machine without the CUDA provider library or a WebGPU adapter the worker must still start, on cpu.
  const config = loadConfig({ ORT_PROVIDERS: 'webgpu,cuda,cpu', EMBEDDER_MODEL: 'arcface-mobilenet-128', WORKER_CONCURRENCY: '4' }, []);
  queue = createJobQueue({ maxWaiting: 100, webhookSecret: '' });
  worker = await startFaceWorker(config, queue, logger);
});
afterAll(async () => {
  await worker?.close();
  await queue?.close();
});

it('logs the execution providers it really runs on, and embeds', async () => {
  const loaded = lines.find((l) => l.msg === 'models loaded');
  expect(loaded?.fields.providers).toEqual(worker.pipeline.providers);
  expect(loaded?.fields.requestedProviders).toEqual(['webgpu', 'cuda', 'cpu']);
  expect(worker.pipeline.providers.at(-1)).toBe('cpu');
  // Each provider that could not start is named once, with its reason, in a single warning.
  const fallback = lines.filter((l) => l.msg === 'execution provider unavailable, falling back');
  if (worker.pipeline.providers.length < 3) {
    expect(fallback).toHaveLength(1);
    expect(fallback[0]!.fields.reasons).toEqual(worker.pipeline.providerFallbacks);
    expect((fallback[0]!.fields.reasons as string[]).length).toBe(3 - worker.pipeline.providers.length);
  } else expect(fallback).toHaveLength(0);
  const blobKey = await queue.putBlob(await readFile(photo));
  const result = (await queue.runJob('extract', { blobKey, options: {} }, { timeoutMs: 30_000 })) as { faces: { feature: number[] }[] };
  expect(result.faces[0]?.feature).toHaveLength(128);
});
