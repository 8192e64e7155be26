/**
 * `npm run bench:liveness [-- --faces <dir>] [--threshold <t>] [--write]`: how often the passive liveness
 * check would refuse a genuine face, and how it scores the presentation-attack samples.
 *
 * Every photo of every set under ../shared/faces except antispoof_samples is a live person photographed by
 * somebody (thousands of faces, very varied: web photos, lab portraits, greyscale crops), so every rejection
 * there is a false rejection; antispoof_samples holds one live phone photo and two of printed photos. With
 * --write, the chosen threshold goes into the liveness model's manifest entry with what it was measured on.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFacePipeline } from '@facerec/face';
import { findModel, livenessThresholdSchema, loadManifest } from '@facerec/models';
import { loadProcessConfig } from '@facerec/config';
import { parseCli } from './bench-setup.ts';
import { mapLimit } from './embed-files.ts';
import { listImagesRecursive } from './image-files.ts';
import { writeModelFields } from './manifest-writer.ts';

const ATTACK_SET = 'antispoof_samples';
const CANDIDATES = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];

const { flags } = parseCli(process.argv.slice(2), ['write']);
const config = loadProcessConfig([]);
const facesRoot = typeof flags.get('faces') === 'string' ? String(flags.get('faces')) : fileURLToPath(new URL('../../../../shared/faces/', import.meta.url));
const manifest = await loadManifest(config.models.manifestPath);
const entry = findModel(manifest, config.liveness.model, 'liveness');
const pipeline = await createFacePipeline({
  ...config.pipeline,
  manifest,
  modelsDir: config.models.dir,
  // The decision is made below for every candidate threshold; the pipeline's own does not matter here.
  liveness: { model: entry.id, threshold: 0.5, preload: true },
});

const sets = (await readdir(facesRoot, { withFileTypes: true })).filter((d) => d.isDirectory() && d.name !== ATTACK_SET).map((d) => d.name).sort();
const started = performance.now();
const bySet = new Map<string, number[]>();
let noFace = 0;
let images = 0;
for (const set of sets) {
  const files = await listImagesRecursive(join(facesRoot, set));
  images += files.length;
  const scores = await mapLimit(files, 2, async (path) => {
    try {
      const a = await pipeline.analyze(await readFile(path), { faces: 'primary', liveness: true });
      return a.faces[0]?.liveness?.score ?? null;
    } catch {
      return null;
    }
  });
  const found = scores.filter((s): s is number => s !== null);
  noFace += scores.length - found.length;
  bySet.set(set, found);
}
const seconds = (performance.now() - started) / 1000;

const attackFiles = await listImagesRecursive(join(facesRoot, ATTACK_SET));
const attacks: Array<{ file: string; score: number | null }> = [];
for (const path of attackFiles) {
  const a = await pipeline.analyze(await readFile(path), { faces: 'primary', liveness: true }).catch(() => null);
  attacks.push({ file: relative(facesRoot, path), score: a?.faces[0]?.liveness?.score ?? null });
}
await pipeline.close();

const all = [...bySet.values()].flat();
const pct = (k: number, n: number) => `${((100 * k) / Math.max(1, n)).toFixed(2)} %`;
const below = (xs: number[], t: number) => xs.filter((s) => s < t).length;
console.log(`liveness model ${entry.id}: ${all.length} genuine faces from ${images} photos in ${sets.length} sets (${noFace} without a face), ${(all.length / seconds).toFixed(1)} faces/s`);
console.log(`\nshare of genuine faces rejected (score < threshold):`);
console.log(`  ${'set'.padEnd(22)} ${'faces'.padStart(6)}  ${CANDIDATES.map((t) => String(t).padStart(7)).join(' ')}`);
for (const [set, xs] of [...bySet, ['ALL', all] as const]) {
  console.log(`  ${set.padEnd(22)} ${String(xs.length).padStart(6)}  ${CANDIDATES.map((t) => pct(below(xs, t), xs.length).padStart(7)).join(' ')}`);
}
const sorted = [...all].sort((a, b) => a - b);
const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
console.log(`\ngenuine score quantiles: 1 % ${q(0.01).toFixed(4)}, 5 % ${q(0.05).toFixed(4)}, 10 % ${q(0.1).toFixed(4)}, median ${q(0.5).toFixed(4)}`);
console.log(`\n${ATTACK_SET}:`);
for (const a of attacks) console.log(`  ${a.file.padEnd(40)} ${a.score === null ? 'no face' : a.score.toFixed(4)}`);

const chosen = Number(flags.get('threshold') ?? entry.threshold?.value ?? NaN);
if (Number.isFinite(chosen)) {
  const rejected = below(all, chosen) / Math.max(1, all.length);
  const verdicts = attacks.map((a) => `${a.file.slice(ATTACK_SET.length + 1)} ${a.score !== null && a.score < chosen ? 'rejected' : 'accepted'}`);
  console.log(`\nat threshold ${chosen}: ${pct(below(all, chosen), all.length)} of genuine faces rejected; ${verdicts.join(', ')}`);
  if (flags.has('write')) {
    const threshold = livenessThresholdSchema.parse({
      value: chosen,
      dataset: `${sets.map((s) => `${s} (${bySet.get(s)!.length})`).join(', ')}: genuine faces; ${attacks.length} ${ATTACK_SET} photos`,
      genuine_rejected: Number(rejected.toFixed(4)),
      genuine_faces: all.length,
      measured_at: new Date().toISOString().slice(0, 10),
    });
    await writeModelFields(config.models.manifestPath, entry.id, 'liveness', { threshold });
  }
} else console.log('\n(no threshold yet: pass --threshold <t> [--write])');
