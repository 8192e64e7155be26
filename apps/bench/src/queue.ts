/**
 * `npm run bench:queue`: what the queue costs. One run, same images, same machine:
 *  1. batch throughput: embedded (`npm start`, in-process queue) vs fleet (one gateway + one worker process on
 *     Redis), same WORKER_CONCURRENCY; images/s from POST /v1/jobs/extract until the job is completed;
 *  2. added latency of a synchronous POST /api/extract_feature through the queue: p50/p99 of sequential requests;
 *  3. micro-batching: the raw embedder on the dynamic-batch model at batch 1 vs 8/16/32 (the potential), then
 *     faces/s through the pipeline with WORKER_CONCURRENCY analyze calls in flight on one thread (what a
 *     pipeline thread sees), EMBED_BATCH_MAX as configured vs 1, on group photos (faces 'all') and facescrub.
 * Prints figures only; asserts nothing.
 *
 * Flags: --images 200  --requests 300  --concurrency <WORKER_CONCURRENCY, default 4>  --faces 512
 *        --rounds 3 (section 3: turns each setting takes, alternating with the others)  --micro-only (skip 1 and 2, no Redis)
 * Needs Redis on REDIS_URL (default redis://127.0.0.1:6379) unless --micro-only.
 */
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { loadProcessConfig } from '@facerec/config';
import { createFacePipeline, Embedder, type AnalyzeOptions, type FacePipeline } from '@facerec/face';
import { findModel, loadManifest } from '@facerec/models';
import { createRedisTestPrefix } from '@facerec/queue/testing';
import { parseCli } from './bench-setup.ts';
import { facescrub, groupPhotos, type Photo, type Proc, startProc } from './queue-procs.ts';

const { flags } = parseCli(process.argv.slice(2), ['micro-only']);
const num = (name: string, dflt: number) => (flags.has(name) ? Number(flags.get(name)) : dflt);
const IMAGES = num('images', 200);
const REQUESTS = num('requests', 300);
const CONCURRENCY = String(num('concurrency', loadProcessConfig([]).queue.workerConcurrency));
const FACES = num('faces', 512);
const ROUNDS = num('rounds', 3);
const MICRO_ONLY = flags.has('micro-only');
const REDIS_URL = loadProcessConfig([]).redisUrl ?? 'redis://127.0.0.1:6379';

const fmt = (v: number, d = 1) => v.toFixed(d);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function extractOnce(url: string, photo: Photo): Promise<void> {
  const form = new FormData();
  form.append('image', new Blob([photo.bytes]), photo.name);
  const res = await fetch(`${url}/api/extract_feature`, { method: 'POST', body: form });
  await res.arrayBuffer();
  // A no-face photo is a legitimate 400; anything else means the figures are meaningless.
  if (res.status !== 200 && res.status !== 400) throw new Error(`extract_feature answered ${res.status}`);
}

interface ModeFigures {
  imagesPerSec: number;
  batchSeconds: number;
  p50: number;
  p99: number;
  mean: number;
}

async function measure(url: string, photos: Photo[]): Promise<ModeFigures> {
  for (const p of photos.slice(0, 8)) await extractOnce(url, p); // warm-up: sessions, JIT, connections

  const form = new FormData();
  for (const p of photos) form.append('images', new Blob([p.bytes]), p.name);
  const t0 = performance.now();
  const sub = await fetch(`${url}/v1/jobs/extract`, { method: 'POST', body: form });
  const accepted = (await sub.json()) as { job_id?: string };
  if (sub.status !== 202 || !accepted.job_id) throw new Error(`submit answered ${sub.status}: ${JSON.stringify(accepted)}`);
  let job: { state: string; progress: { succeeded: number; failed: number; total: number } };
  do {
    const res = await fetch(`${url}/v1/jobs/${accepted.job_id}?limit=1`);
    job = (await res.json()) as typeof job;
  } while (job.state !== 'completed' && job.state !== 'failed');
  const batchSeconds = (performance.now() - t0) / 1000;
  if (job.progress.succeeded + job.progress.failed !== photos.length) throw new Error(`batch ended with ${JSON.stringify(job.progress)}`);

  const lat: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t = performance.now();
    await extractOnce(url, photos[i % photos.length]!);
    lat.push(performance.now() - t);
  }
  const sorted = [...lat].sort((a, b) => a - b);
  return {
    imagesPerSec: photos.length / batchSeconds,
    batchSeconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: lat.reduce((a, b) => a + b, 0) / lat.length,
  };
}

async function embeddedMode(photos: Photo[]): Promise<ModeFigures> {
  const env = { WORKER_CONCURRENCY: CONCURRENCY, REDIS_URL: '' };
  const svc = await startProc('apps/gateway/src/main.ts', env, { listening: true, models: true });
  try {
    return await measure(svc.url, photos);
  } finally {
    await svc.stop();
  }
}

async function fleetMode(photos: Photo[]): Promise<ModeFigures> {
  const ns = await createRedisTestPrefix(REDIS_URL);
  const env = { REDIS_URL, QUEUE_PREFIX: ns.prefix.replace(/^test:/, 'bench:'), WORKER_CONCURRENCY: CONCURRENCY, QUEUE_MAX_WAITING: '100000' };
  const procs: Proc[] = [];
  try {
    procs.push(await startProc('apps/gateway/src/main.ts', { ...env, ROLE: 'gateway' }, { listening: true, models: false }));
    procs.push(await startProc('apps/worker/src/main.ts', env, { listening: false, models: true }));
    return await measure(procs[0]!.url, photos);
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    const keys = await ns.redis.keys(`${env.QUEUE_PREFIX}*`);
    for (let i = 0; i < keys.length; i += 500) await ns.redis.unlink(...keys.slice(i, i + 500));
    await ns.cleanup();
  }
}

async function microBatching(): Promise<{ model: string; rows: { batch: number; facesPerSec: number }[]; fixed: { model: string; facesPerSec: number } }> {
  const config = loadProcessConfig([]);
  const manifest = await loadManifest(config.models.manifestPath);
  const session = { threads: config.pipeline.threads, providers: config.pipeline.providers };
  const open = async (id: string) => {
    const entry = findModel(manifest, id, 'embed');
    return Embedder.create(entry, join(config.models.dir, entry.file), session);
  };
  // Pre-made normalised 112x112 tensors (deterministic noise): this isolates the embedder's own cost.
  const tensor = (n: number) => {
    const t = new Float32Array(n * 3 * 112 * 112);
    let seed = 7;
    for (let i = 0; i < t.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      t[i] = (seed / 0x7fffffff) * 2 - 1;
    }
    return t;
  };
  // Batch sizes take turns, ROUNDS times, so load from other processes falls on all of them alike.
  const rates = async (emb: Embedder, batches: number[]) => {
    const data = batches.map((b) => tensor(b));
    for (let k = 0; k < batches.length; k++) for (let i = 0; i < 3; i++) await emb.run(data[k]!, batches[k]!); // warm-up per shape
    const ms = batches.map(() => 0);
    const faces = batches.map(() => 0);
    for (let r = 0; r < ROUNDS; r++) {
      for (let k = 0; k < batches.length; k++) {
        const batch = batches[k]!;
        const runs = Math.max(1, Math.round(FACES / ROUNDS / batch));
        const t0 = performance.now();
        for (let i = 0; i < runs; i++) await emb.run(data[k]!, batch);
        ms[k]! += performance.now() - t0;
        faces[k]! += runs * batch;
      }
    }
    return batches.map((batch, k) => ({ batch, facesPerSec: (faces[k]! / ms[k]!) * 1000 }));
  };

  const dynamicModel = 'arcface-mobilenet-128';
  const dyn = await open(dynamicModel);
  let rows: { batch: number; facesPerSec: number }[];
  try {
    rows = await rates(dyn, [1, 8, 16, 32]);
  } finally {
    await dyn.close();
  }
  const fixedModel = config.pipeline.embedder;
  const fixed = await open(fixedModel);
  try {
    return { model: dynamicModel, rows, fixed: { model: `${fixedModel} (batch ${fixed.maxBatch})`, facesPerSec: (await rates(fixed, [1]))[0]!.facesPerSec } };
  } finally {
    await fixed.close();
  }
}

interface PipelineFigures {
  label: string;
  facesPerSec: number;
  imagesPerSec: number;
  runs: number;
  faces: number;
  largestBatch: number;
}

/**
 * faces/s through createFacePipeline with CONCURRENCY analyze calls in flight: the same interleaving a
 * pipeline thread sees from a worker's concurrent jobs. Settings alternate pass by pass so background load
 * falls on all of them alike.
 */
async function pipelineBatching(): Promise<{ model: string; workload: string; rows: PipelineFigures[] }> {
  const config = loadProcessConfig([]);
  const manifest = await loadManifest(config.models.manifestPath);
  const model = 'arcface-mobilenet-128';
  const groups = groupPhotos().map((p) => p.bytes);
  const portraits = facescrub(Math.min(IMAGES, 100)).map((p) => p.bytes);
  // Group photos spread through the portraits, so concurrent calls mix one-face and many-face images.
  const work: { bytes: Uint8Array; opts: AnalyzeOptions }[] = portraits.map((bytes) => ({ bytes, opts: { faces: 'primary' } }));
  groups.forEach((bytes, i) => work.splice(Math.floor(((i + 0.5) * work.length) / groups.length), 0, { bytes, opts: { faces: 'all' } }));
  const settings = [
    { label: `EMBED_BATCH_MAX=1 (off)`, embedBatchMax: 1, embedBatchWaitMs: 0 },
    { label: `EMBED_BATCH_MAX=${config.pipeline.embedBatchMax} wait ${config.pipeline.embedBatchWaitMs} ms`, embedBatchMax: config.pipeline.embedBatchMax, embedBatchWaitMs: config.pipeline.embedBatchWaitMs },
    { label: `EMBED_BATCH_MAX=${config.pipeline.embedBatchMax} wait 20 ms`, embedBatchMax: config.pipeline.embedBatchMax, embedBatchWaitMs: 20 },
  ];
  const pipelines: FacePipeline[] = [];
  for (const s of settings) pipelines.push(await createFacePipeline({ ...config.pipeline, ...s, embedder: model, manifest, modelsDir: config.models.dir }));
  const totals = settings.map(() => ({ ms: 0, images: 0, faces: 0 }));
  const pass = async (p: FacePipeline) => {
    let next = 0;
    let faces = 0;
    await Promise.all(
      Array.from({ length: Number(CONCURRENCY) }, async () => {
        while (next < work.length) {
          const w = work[next++]!;
          const a = await p.analyze(w.bytes, w.opts).catch(() => ({ faces: [] }));
          faces += a.faces.length;
        }
      }),
    );
    return faces;
  };
  try {
    for (const p of pipelines) await pass(p); // warm-up: arenas, kernels, JIT
    const before = await Promise.all(pipelines.map((p) => p.stats()));
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < pipelines.length; i++) {
        const t0 = performance.now();
        const faces = await pass(pipelines[i]!);
        totals[i]!.ms += performance.now() - t0;
        totals[i]!.faces += faces;
        totals[i]!.images += work.length;
      }
    }
    const after = await Promise.all(pipelines.map((p) => p.stats()));
    return {
      model,
      workload: `${portraits.length} facescrub (primary) + ${groups.length} faceapijs_bbt_group (all faces), ${CONCURRENCY} calls in flight, ${ROUNDS} passes`,
      rows: settings.map((s, i) => ({
        label: s.label,
        facesPerSec: (totals[i]!.faces / totals[i]!.ms) * 1000,
        imagesPerSec: (totals[i]!.images / totals[i]!.ms) * 1000,
        runs: after[i]!.embed.runs - before[i]!.embed.runs,
        faces: after[i]!.embed.faces - before[i]!.embed.faces,
        largestBatch: after[i]!.embed.largestBatch,
      })),
    };
  } finally {
    await Promise.all(pipelines.map((p) => p.close()));
  }
}

const photos = facescrub(IMAGES);
console.log(`bench:queue — ${IMAGES} facescrub images, ${REQUESTS} sequential sync requests per mode, WORKER_CONCURRENCY=${CONCURRENCY}`);
console.log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}; Redis ${MICRO_ONLY ? 'not used' : REDIS_URL}`);
console.log('');

if (!MICRO_ONLY) {
  const emb = await embeddedMode(photos);
  const flt = await fleetMode(photos);

  console.log('1. Batch throughput (POST /v1/jobs/extract → completed)');
  console.log(`   embedded (in-process queue):           ${fmt(emb.imagesPerSec)} images/s  (${fmt(emb.batchSeconds, 2)} s)`);
  console.log(`   fleet (gateway → Redis → 1 worker):    ${fmt(flt.imagesPerSec)} images/s  (${fmt(flt.batchSeconds, 2)} s)`);
  console.log(`   ratio fleet / embedded:                ${fmt(flt.imagesPerSec / emb.imagesPerSec, 3)}  (target ≥ 0.85)`);
  console.log('');
  console.log(`2. Synchronous POST /api/extract_feature, ${REQUESTS} sequential requests`);
  console.log(`   embedded:  p50 ${fmt(emb.p50)} ms   p99 ${fmt(emb.p99)} ms   mean ${fmt(emb.mean)} ms`);
  console.log(`   fleet:     p50 ${fmt(flt.p50)} ms   p99 ${fmt(flt.p99)} ms   mean ${fmt(flt.mean)} ms`);
  console.log(`   added by the Redis queue:  p50 ${fmt(flt.p50 - emb.p50)} ms   p99 ${fmt(flt.p99 - emb.p99)} ms   mean ${fmt(flt.mean - emb.mean)} ms`);
  console.log('');
}

const mb = await microBatching();
const base = mb.rows[0]!.facesPerSec;
console.log(`3a. Micro-batching potential: raw embedder on pre-made 112×112 tensors, ${FACES} faces per setting`);
for (const r of mb.rows) console.log(`   ${mb.model} batch ${String(r.batch).padStart(2)}: ${fmt(r.facesPerSec).padStart(8)} faces/s   (×${fmt(r.facesPerSec / base, 2)} vs batch 1)`);
console.log(`   ${mb.fixed.model}: ${fmt(mb.fixed.facesPerSec)} faces/s (fixed batch of 1: the pipeline never batches it)`);
console.log('');
const pb = await pipelineBatching();
const off = pb.rows[0]!;
console.log(`3b. Micro-batching through the pipeline (${pb.model}, one thread): ${pb.workload}`);
for (const r of pb.rows) {
  console.log(`   ${r.label.padEnd(30)} ${fmt(r.facesPerSec).padStart(7)} faces/s  ${fmt(r.imagesPerSec).padStart(7)} images/s  (×${fmt(r.facesPerSec / off.facesPerSec, 2)})  ` +
    `embedder runs ${r.runs}, mean ${fmt(r.faces / Math.max(1, r.runs), 2)} faces/run, largest ${r.largestBatch} calls/run`);
}
process.exit(0);
