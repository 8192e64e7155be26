/**
 * End-to-end extraction throughput vs the raw ONNX ceiling on the same tensor sizes.
 *   npm run bench:extract -- <folder> [--concurrency 2] [--flip] [--faces all|primary]
 * Prints figures only; nothing here asserts on time.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { Embedder, YunetDetector, type StageTimings } from '@facerec/face';
import { findModel } from '@facerec/models';
import { join } from 'node:path';
import { parseCli, setupPipeline } from './bench-setup.ts';
import { listImagesRecursive } from './image-files.ts';

const { flags, positionals } = parseCli(process.argv.slice(2), ['flip']);
const root = positionals[0];
if (!root) {
  console.error('usage: bench:extract -- <folder> [--concurrency N] [--flip] [--faces all|primary]');
  process.exit(2);
}
const concurrency = Number(flags.get('concurrency') ?? 2);
const flip = flags.has('flip');
const facesMode = flags.get('faces') === 'all' ? 'all' : 'primary';
const { config, manifest, pipeline } = await setupPipeline(flip ? { flipTta: true } : {});
const p = config.pipeline;

const paths = await listImagesRecursive(root);
const files: Buffer[] = [];
for (const path of paths) files.push(await readFile(path));
console.log(`${paths.length} files under ${root}; detector ${p.detector}, embedder ${p.embedder}, detectSize ${p.detectSize}, ` +
  `threads ${p.threads || 'ORT default'}, providers ${p.providers.join(',')}, flip ${flip}, faces ${facesMode}, ${concurrency} in flight`);

// Ceiling: the same model runs as the pipeline makes for each image (first-pass detection at the image's
// tensor size, one 320x320 landmark-refinement pass per embedded face, the embedder per face, twice with
// flip) on pre-made tensors, in separate sessions with the same options. Not in it: the border-retry
// pass for images where the first pass finds nothing.
const session = { threads: p.threads, providers: p.providers };
const detEntry = findModel(manifest, p.detector, 'detect');
const embEntry = findModel(manifest, p.embedder, 'embed');
const det = await YunetDetector.create(detEntry, join(config.models.dir, detEntry.file), session);
const emb = await Embedder.create(embEntry, join(config.models.dir, embEntry.file), session);
const tensors = new Map<string, Float32Array>();
const tensor = (w: number, h: number): Float32Array => {
  const key = `${w}x${h}`;
  let t = tensors.get(key);
  if (!t) tensors.set(key, (t = new Float32Array(3 * w * h).fill(127)));
  return t;
};
const crop = emb.toTensor([{ data: new Uint8Array(112 * 112 * 3).fill(127), width: 112, height: 112 }]);
const embedRuns = flip ? 2 : 1;
interface Shape {
  w: number;
  h: number;
  faces: number;
}
const runCeiling = async (s: Shape): Promise<void> => {
  await det.run(tensor(s.w, s.h), s.w, s.h);
  for (let f = 0; f < s.faces; f++) {
    await det.run(tensor(320, 320), 320, 320);
    for (let r = 0; r < embedRuns; r++) await emb.run(crop, 1);
  }
};

/** Runs `fn` over items with `concurrency` in flight. */
async function pool<T>(items: readonly T[], fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

// Warm-up: first runs allocate arenas and pick kernels.
for (const f of files.slice(0, 3)) await pipeline.analyze(f).catch(() => undefined);
await runCeiling({ w: 640, h: 480, faces: 1 });

// End-to-end and ceiling alternate in chunks, so load from other processes on a shared machine falls on
// both sides of the ratio alike.
const CHUNK = 25;
const sums: StageTimings = { decode: 0, detect: 0, align: 0, embed: 0, quality: 0 };
const shapes: Shape[] = [];
let errors = 0;
let e2eMs = 0;
let ceilMs = 0;
let busyMs = 0;
for (let c = 0; c < files.length; c += CHUNK) {
  const chunk: Shape[] = [];
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  await pool(files.slice(c, c + CHUNK), async (file) => {
    try {
      const a = await pipeline.analyze(file, { faces: facesMode });
      for (const k of Object.keys(sums) as (keyof StageTimings)[]) sums[k] += a.timings[k];
      const s = Math.min(1, p.detectSize / Math.max(a.width, a.height));
      const up = (v: number): number => Math.max(32, Math.ceil(Math.round(v * s) / 32) * 32);
      chunk.push({ w: up(a.width), h: up(a.height), faces: a.faces.length });
    } catch {
      errors++;
    }
  });
  e2eMs += performance.now() - t0;
  busyMs += performance.eventLoopUtilization(elu0).active;
  const t1 = performance.now();
  await pool(chunk, runCeiling);
  ceilMs += performance.now() - t1;
  shapes.push(...chunk);
}
const ok = shapes.length;
const e2eRate = (ok / e2eMs) * 1000;
console.log(`\nend-to-end: ${ok} images (${errors} refused) in ${(e2eMs / 1000).toFixed(2)} s = ${e2eRate.toFixed(1)} images/s`);
// onnxruntime-node runs inference on this thread, so its idle share is time the models could have used.
console.log(`JS thread busy ${((100 * busyMs) / e2eMs).toFixed(0)}% of end-to-end time (ORT inference runs on it)`);
console.log('per-stage mean ms: ' + (Object.keys(sums) as (keyof StageTimings)[]).map((k) => `${k} ${(sums[k] / ok).toFixed(2)}`).join('  '));
const ceilRate = (ok / ceilMs) * 1000;
const refines = shapes.reduce((n, s) => n + s.faces, 0);
console.log(`ONNX ceiling (${ok} first passes + ${refines} refinement passes + ${refines * embedRuns} embedder runs): ` +
  `${(ceilMs / 1000).toFixed(2)} s = ${ceilRate.toFixed(1)} images/s (${(ceilMs / ok).toFixed(2)} ms/image)`);
console.log(`ratio end-to-end / ceiling = ${(e2eRate / ceilRate).toFixed(2)}`);
await pipeline.close();
await det.close();
await emb.close();
console.log(`sharp concurrency ${sharp.concurrency()}, libuv threadpool ${process.env.UV_THREADPOOL_SIZE ?? 4}`);
