/**
 * GPU worker check, for a machine with a GPU and a Vulkan driver (see scripts/gpu-check.sh, which brings libvulkan1):
 *   npm run bench:gpu -- <folder> [--providers webgpu,cpu] [--images 64]
 * 1. Embeds the same photos on the CPU and on the requested providers and prints the worst cosine between the two
 *    (pass: every face within 1e-3, i.e. cosine ≥ 0.999). Exits 3 when the accelerator did not start (the CPU
 *    fallback line says why), 1 when a face is off by more.
 * 2. Prints images/s of one worker (one pipeline) at embedder micro-batch 1, 8 and 32, with as many photos in flight,
 *    for both embedders: mobilefacenet's export has a fixed batch of 1 (a batch is that many runs),
 *    arcface-mobilenet-128's is dynamic (a batch is one run). Also the raw embedder faces/s at those batches.
 * Prints figures only; nothing asserts on time.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cosineSimilarity, createFacePipeline, Embedder, type FacePipeline, type RgbImage } from '@facerec/face';
import { findModel } from '@facerec/models';
import { parseCli, setupPipeline } from './bench-setup.ts';
import { listImagesRecursive } from './image-files.ts';

const BATCHES = [1, 8, 32];
const COSINE_TOLERANCE = 1e-3;

async function pool<T>(items: readonly T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

async function main(): Promise<void> {
  const { flags, positionals } = parseCli(process.argv.slice(2));
  const root = positionals[0] ?? '../shared/faces/facescrub';
  const providers = String(flags.get('providers') ?? 'webgpu,cpu').split(',').map((s) => s.trim()).filter(Boolean);
  const count = Number(flags.get('images') ?? 64);
  const files = await Promise.all((await listImagesRecursive(root)).slice(0, count).map((p) => readFile(p)));
  // Both sides letterbox their detector inputs as a GPU worker does by default (DETECT_BATCH=auto), so the
  // comparison sees the providers' numerics and nothing else.
  const { config, manifest, pipeline: cpu } = await setupPipeline({ providers: ['cpu'], detectBatch: 'on' });
  const base = { ...config.pipeline, manifest, modelsDir: config.models.dir, detectBatch: 'on' as const };

  let exit = 0;
  for (const embedder of ['mobilefacenet', 'arcface-mobilenet-128']) {
    const cpuPipe = embedder === config.pipeline.embedder ? cpu : await createFacePipeline({ ...base, embedder, providers: ['cpu'] });
    const gpu = await createFacePipeline({ ...base, embedder, providers });
    console.log(`\n${embedder}: requested ${providers.join(',')}, running on ${gpu.providers.join(',')}`);
    if (gpu.providerFallbacks.length) console.log(`fallback: ${gpu.providerFallbacks.join('; ')}`);
    if (gpu.providers[0] === 'cpu') exit = 3;

    // 1. Same photos, same pipeline, CPU vs accelerator.
    const crops: RgbImage[] = [];
    let worst = 1;
    let faces = 0;
    for (const f of files) {
      const a = await cpuPipe.analyze(f, { crops: true }).catch(() => undefined);
      const b = await gpu.analyze(f).catch(() => undefined);
      if (!a?.faces[0] || !b?.faces[0]) continue;
      crops.push(a.faces[0].crop!);
      worst = Math.min(worst, cosineSimilarity(a.faces[0].embedding, b.faces[0].embedding));
      faces++;
    }
    const pass = worst >= 1 - COSINE_TOLERANCE;
    if (!pass) exit = exit || 1;
    console.log(`${faces} faces: worst cosine CPU vs ${gpu.providers[0]} ${worst.toFixed(6)} (${pass ? 'PASS' : 'FAIL'}, tolerance ${COSINE_TOLERANCE})`);

    // 2. One worker's throughput at each micro-batch size.
    const entry = findModel(manifest, embedder, 'embed');
    const raw = await Embedder.create(entry, join(config.models.dir, entry.file), { threads: config.pipeline.threads, providers: gpu.providers });
    for (const batch of BATCHES) {
      const pipe: FacePipeline = await createFacePipeline({ ...base, embedder, providers: gpu.providers, embedBatchMax: batch, detectBatchMax: batch });
      await pool(files.slice(0, batch), batch, (f) => pipe.analyze(f).then(() => undefined, () => undefined));
      const t0 = performance.now();
      await pool(files, batch, (f) => pipe.analyze(f).then(() => undefined, () => undefined));
      const s = (performance.now() - t0) / 1000;
      const { embed: embedStats, detect: detectStats } = await pipe.stats();
      await pipe.close();
      const group = Array.from({ length: batch }, (_, i) => crops[i % crops.length]!);
      await raw.embed(group);
      const rounds = Math.max(4, Math.ceil(256 / batch));
      const t1 = performance.now();
      for (let r = 0; r < rounds; r++) await raw.embed(group);
      const rawRate = (rounds * batch) / ((performance.now() - t1) / 1000);
      console.log(`batch ${String(batch).padStart(2)}: pipeline ${(files.length / s).toFixed(1)} images/s (${batch} in flight, largest embed batch ${embedStats.largestBatch}, ` +
        `detector ${detectStats.runs > 0 ? `${(detectStats.images / detectStats.runs).toFixed(1)} passes/run, largest ${detectStats.largestBatch}` : 'unbatched'}); ` +
        `embedder alone ${rawRate.toFixed(0)} faces/s`);
    }
    await raw.close();
    await gpu.close();
    if (cpuPipe !== cpu) await cpuPipe.close();
  }
  await cpu.close();
  process.exit(exit);
}

await main();
