/**
 * Verification accuracy of the real pipeline (primary face of every image).
 *   npm run bench:accuracy -- <folder-of-identity-folders> [--embedder id] [--detector id] [--flip | --no-flip]
 *   npm run bench:accuracy -- --openset [--sets a,b] [--sizes 50,150,all]   (through the real service; see openset.ts)
 *   npm run bench:accuracy -- --embedding-study [--data <dir>,<dir>]       (flip TTA and fusion; see embedding-study.ts)
 *   npm run bench:accuracy -- --multi-face-study                           (the dominant-face rule on photos with bystanders)
 *   npm run bench:accuracy -- --template-study [--faces 3]                 (multi-face subjects: best face vs template)
 *   npm run bench:accuracy -- --pairs <LFW pairs.txt> --root <dir> [--embedder id] [--flip | --no-flip]
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { cosineSimilarity } from '@facerec/face';
import { setupPipeline, parseCli } from './bench-setup.ts';
import { embedFile, mapLimit, type EmbeddedFace as Embedded } from './embed-files.ts';
import { runEmbeddingStudy, runTemplateStudy } from './embedding-study.ts';
import { runMultiFaceStudy } from './multi-face-study.ts';
import { runOpenSet } from './openset.ts';
import { listIdentityImages } from './image-files.ts';
import { equalErrorRate, kFoldAccuracy, rateAbove, thresholdAtFar, type ScoredPair } from './roc-metrics.ts';
import { summarizeQuality } from './quality-summary.ts';

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

/** --flip / --no-flip override FLIP_TTA; neither: the service's own setting. */
function flipFlag(flags: Map<string, string | true>): boolean | undefined {
  return flags.has('flip') ? true : flags.has('no-flip') ? false : undefined;
}

function printRoc(genuine: Float64Array, impostor: Float64Array): void {
  const t2 = thresholdAtFar(impostor, 1e-2);
  const t3 = thresholdAtFar(impostor, 1e-3);
  const t4 = thresholdAtFar(impostor, 1e-4);
  const { eer, threshold } = equalErrorRate(genuine, impostor);
  console.log(`genuine pairs ${genuine.length}, impostor pairs ${impostor.length}`);
  console.log(`TAR@FAR1e-2 ${pct(rateAbove(genuine, t2))}  TAR@FAR1e-3 ${pct(rateAbove(genuine, t3))}  TAR@FAR1e-4 ${pct(rateAbove(genuine, t4))}`);
  console.log(`EER ${pct(eer)} (threshold ${threshold.toFixed(4)})`);
  console.log(`thresholds: FAR1e-2 ${t2.toFixed(4)}  FAR1e-3 ${t3.toFixed(4)}  FAR1e-4 ${t4.toFixed(4)}` +
    (impostor.length < 1e4 ? `  (only ${impostor.length} impostor pairs: FAR1e-4 is not resolved)` : ''));
}

async function runFolder(root: string, flags: Map<string, string | true>): Promise<void> {
  const flip = flipFlag(flags);
  const { config, pipeline } = await setupPipeline({
    ...(typeof flags.get('embedder') === 'string' ? { embedder: flags.get('embedder') as string } : {}),
    ...(typeof flags.get('detector') === 'string' ? { detector: flags.get('detector') as string } : {}),
    ...(typeof flags.get('detect-size') === 'string' ? { detectSize: Number(flags.get('detect-size')) } : {}),
  });
  const images = await listIdentityImages(root);
  console.log(`${basename(root)}: ${images.length} images, ${new Set(images.map((i) => i.identity)).size} identities; ` +
    `detector ${pipeline.detector.id}, embedder ${pipeline.embedder.id}, flip ${flip ?? config.pipeline.flipTta}, detectSize ${config.pipeline.detectSize}`);
  const started = performance.now();
  const results = await mapLimit(images, 2, (img) => embedFile(pipeline, img.path, flip));
  console.log(`embedded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const ok: { identity: string; e: Embedded }[] = [];
  const failures: string[] = [];
  results.forEach((r, i) => {
    if (typeof r === 'string') failures.push(`  ${images[i]!.path}: ${r}`);
    else ok.push({ identity: images[i]!.identity, e: r });
  });
  console.log(`detection failures: ${failures.length}`);
  for (const f of failures) console.log(f);

  const genuine: number[] = [];
  const impostor: number[] = [];
  for (let i = 0; i < ok.length; i++) {
    for (let j = i + 1; j < ok.length; j++) {
      const s = cosineSimilarity(ok[i]!.e.embedding, ok[j]!.e.embedding);
      (ok[i]!.identity === ok[j]!.identity ? genuine : impostor).push(s);
    }
  }
  printRoc(Float64Array.from(genuine), Float64Array.from(impostor));
  summarizeQuality(ok.map((o) => o.e), config.pipeline.quality);
  await pipeline.close();
}

/** LFW pairs.txt: header "folds n" (or "n"), then "name i j" (same) or "name1 i name2 j" (different). */
function parsePairs(text: string): { a: [string, number]; b: [string, number]; same: boolean; fold: number }[] {
  const lines = text.trim().split(/\r?\n/);
  const header = lines[0]!.trim().split(/\s+/).map(Number);
  const [folds, perHalf] = header.length === 2 ? [header[0]!, header[1]!] : [1, Infinity];
  const body = lines.slice(1).filter((l) => l.trim() !== '');
  return body.map((l, i) => {
    const p = l.trim().split(/\s+/);
    const fold = Number.isFinite(perHalf) ? Math.min(folds - 1, Math.floor(i / (2 * perHalf))) : 0;
    if (p.length === 3) return { a: [p[0]!, Number(p[1])], b: [p[0]!, Number(p[2])], same: true, fold };
    if (p.length === 4) return { a: [p[0]!, Number(p[1])], b: [p[2]!, Number(p[3])], same: false, fold };
    throw new Error(`bad pairs line ${i + 2}: ${l}`);
  });
}

async function resolveLfwImage(root: string, name: string, n: number): Promise<string> {
  const candidates = [
    join(root, name, `${name}_${String(n).padStart(4, '0')}.jpg`),
    join(root, name, `${n}.jpg`),
    join(root, name, `${n}.png`),
  ];
  for (const c of candidates) {
    try {
      await readFile(c, { flag: 'r' }).then(() => undefined);
      return c;
    } catch {
      /* next */
    }
  }
  return candidates[0]!;
}

async function runPairs(pairsPath: string, root: string, flags: Map<string, string | true>): Promise<void> {
  const flip = flipFlag(flags);
  const { pipeline } = await setupPipeline(typeof flags.get('embedder') === 'string' ? { embedder: flags.get('embedder') as string } : {});
  const pairs = parsePairs(await readFile(pairsPath, 'utf8'));
  const keys = [...new Set(pairs.flatMap((p) => [p.a, p.b].map(([n, i]) => `${n}\t${i}`)))];
  const paths = await Promise.all(keys.map((k) => resolveLfwImage(root, k.split('\t')[0]!, Number(k.split('\t')[1]))));
  const emb = await mapLimit(paths, 2, (p) => embedFile(pipeline, p, flip));
  const byKey = new Map(keys.map((k, i) => [k, emb[i]!]));
  const failures = keys.filter((k) => typeof byKey.get(k) === 'string');
  console.log(`${pairs.length} pairs over ${keys.length} images; detection failures: ${failures.length}`);
  for (const k of failures) console.log(`  ${k.replace('\t', ' ')}: ${byKey.get(k) as string}`);
  const folds: ScoredPair[][] = [];
  const genuine: number[] = [];
  const impostor: number[] = [];
  let skipped = 0;
  for (const p of pairs) {
    const ea = byKey.get(`${p.a[0]}\t${p.a[1]}`);
    const eb = byKey.get(`${p.b[0]}\t${p.b[1]}`);
    // The LFW protocol counts a pair the pipeline cannot embed as a wrong answer.
    const score = typeof ea === 'object' && typeof eb === 'object' ? cosineSimilarity(ea.embedding, eb.embedding) : p.same ? -1 : 1;
    if (typeof ea !== 'object' || typeof eb !== 'object') skipped++;
    (folds[p.fold] ??= []).push({ score, same: p.same });
    (p.same ? genuine : impostor).push(score);
  }
  printRoc(Float64Array.from(genuine), Float64Array.from(impostor));
  const k = kFoldAccuracy(folds);
  console.log(`${folds.length}-fold accuracy ${pct(k.mean)} ± ${pct(k.std)} (${skipped} pairs counted wrong for failed images)`);
  await pipeline.close();
}

const { flags, positionals } = parseCli(process.argv.slice(2), ['flip', 'no-flip', 'openset', 'embedding-study', 'multi-face-study', 'template-study']);
if (flags.has('openset')) {
  await runOpenSet(flags);
} else if (flags.has('embedding-study')) {
  await runEmbeddingStudy(flags);
} else if (flags.has('template-study')) {
  await runTemplateStudy(flags);
} else if (flags.has('multi-face-study')) {
  await runMultiFaceStudy(flags);
} else if (typeof flags.get('pairs') === 'string') {
  const root = flags.get('root');
  if (typeof root !== 'string') throw new Error('--pairs needs --root <dir>');
  await runPairs(flags.get('pairs') as string, root, flags);
} else if (positionals[0]) {
  await runFolder(positionals[0], flags);
} else {
  console.error('usage: bench:accuracy -- <folder> [--embedder id] [--flip | --no-flip] | --openset | --pairs <file> --root <dir>');
  process.exitCode = 2;
}
