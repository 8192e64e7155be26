/**
 * `npm run bench:accuracy -- --embedding-study [--data <dir>,<dir>]`: which embedding to use, measured on the
 * real pipeline's aligned crops. Every primary face is embedded by both embedders of the manifest, plain and
 * mirrored, and these variants are compared: each embedder alone, with flip TTA (the mean of the plain and
 * mirrored vectors), and their fusion (the concatenation of the two normalised vectors: the mean of the two
 * cosines).
 *
 * Per data set: TAR at FAR 1e-3 / 1e-4 over all pairs of gallery-quality faces (for cfp also frontal-profile:
 * files 1-10 are frontal, 11-14 full profile), and FNIR at FPIR 1 % in an open-set split (half the identities
 * enrolled with their first photo, centred on the gallery mean as collections score; 10 seeded splits), with
 * the embedder time per face. Asserts nothing.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Embedder, l2Normalize } from '@facerec/face';
import { findModel } from '@facerec/models';
import { setupPipeline } from './bench-setup.ts';
import { listIdentityImages } from './image-files.ts';
import { rateAbove, thresholdAtFar } from './roc-metrics.ts';

const EMBEDDERS = ['mobilefacenet', 'arcface-mobilenet-128'] as const;

interface Face {
  identity: number;
  passed: boolean;
  profile: boolean;
  /** embedder -> [plain, mirrored], each L2-normalised */
  vectors: Record<string, [Float32Array, Float32Array]>;
}

const norm = (v: Float32Array): Float32Array => l2Normalize(v);
const add = (a: Float32Array, b: Float32Array) => norm(Float32Array.from(a, (x, i) => x + b[i]!));
const concat = (a: Float32Array, b: Float32Array) => {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return norm(out);
};
const dot = (a: Float32Array, b: Float32Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

const VARIANTS: Record<string, { runs: number; vec: (f: Face) => Float32Array }> = {
  'mobilefacenet': { runs: 1, vec: (f) => f.vectors['mobilefacenet']![0] },
  'mobilefacenet + flip': { runs: 2, vec: (f) => add(...f.vectors['mobilefacenet']!) },
  'arcface-mobilenet-128': { runs: 1, vec: (f) => f.vectors['arcface-mobilenet-128']![0] },
  'arcface + flip': { runs: 2, vec: (f) => add(...f.vectors['arcface-mobilenet-128']!) },
  'fusion': { runs: 2, vec: (f) => concat(f.vectors['mobilefacenet']![0], f.vectors['arcface-mobilenet-128']![0]) },
  'fusion + flip': { runs: 4, vec: (f) => concat(add(...f.vectors['mobilefacenet']!), add(...f.vectors['arcface-mobilenet-128']!)) },
};

/** Seeded shuffle (mulberry32), so every variant sees the same splits. */
function shuffled<T>(xs: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Open-set FNIR at the threshold giving 1 % FPIR on the never-enrolled half, centred on the gallery mean. */
function fnirAtFpir1(faces: readonly Face[], vec: (f: Face) => Float32Array, identities: number, seed: number): number {
  const enrolled = new Set(shuffled([...Array(identities).keys()], seed).slice(0, Math.floor(identities / 2)));
  const galleryIdx = new Map<number, number>();
  faces.forEach((f, i) => {
    if (enrolled.has(f.identity) && f.passed && !f.profile && !galleryIdx.has(f.identity)) galleryIdx.set(f.identity, i);
  });
  const gallery = [...galleryIdx.entries()];
  const dim = vec(faces[0]!).length;
  const mu = new Float32Array(dim);
  for (const [, i] of gallery) vec(faces[i]!).forEach((x, k) => (mu[k]! += x / gallery.length));
  const centre = (v: Float32Array) => norm(Float32Array.from(v, (x, k) => x - mu[k]!));
  const g = gallery.map(([id, i]) => ({ id, v: centre(vec(faces[i]!)) }));
  const used = new Set(gallery.map(([, i]) => i));
  const genuine: { top: number; score: number; truth: number }[] = [];
  const distractor: number[] = [];
  faces.forEach((f, i) => {
    if (used.has(i)) return;
    const p = centre(vec(f));
    let best = -2;
    let top = -1;
    for (const e of g) {
      const s = dot(p, e.v);
      if (s > best) [best, top] = [s, e.id];
    }
    if (enrolled.has(f.identity)) genuine.push({ top, score: best, truth: f.identity });
    else distractor.push(best);
  });
  distractor.sort((a, b) => b - a);
  const tau = distractor[Math.floor(0.01 * distractor.length)]!;
  return genuine.filter((p) => !(p.top === p.truth && p.score > tau)).length / genuine.length;
}

/** Every primary face of a labelled set, embedded by both embedders, plain and mirrored, from the real pipeline's crops. */
async function embedSet(root: string, ctx: StudyContext): Promise<{ faces: Face[]; identities: number }> {
  const set = basename(root);
  const images = await listIdentityImages(root);
  const ids = [...new Set(images.map((i) => i.identity))];
  const faces: Face[] = [];
  for (const img of images) {
    const a = await ctx.pipeline.analyze(await readFile(img.path), { faces: 'primary', crops: true }).catch(() => null);
    const f = a?.faces[0];
    if (!f?.crop) continue;
    const vectors: Face['vectors'] = {};
    for (const [k, e] of ctx.embedders.entries()) {
      const t = performance.now();
      const [plain, mirrored] = await Promise.all([e.run(e.toTensor([f.crop]), 1), e.run(e.toTensor([f.crop], true), 1)]);
      ctx.runMs[EMBEDDERS[k]!]!.push((performance.now() - t) / 2);
      vectors[EMBEDDERS[k]!] = [norm(plain[0]!), norm(mirrored[0]!)];
    }
    faces.push({ identity: ids.indexOf(img.identity), passed: f.quality.passed, profile: set === 'cfp' && Number(basename(img.path).split('.')[0]) > 10, vectors });
  }
  return { faces, identities: ids.length };
}

interface StudyContext {
  pipeline: Awaited<ReturnType<typeof setupPipeline>>['pipeline'];
  embedders: Embedder[];
  runMs: Record<string, number[]>;
  threads: number;
  close(): Promise<void>;
}

async function studyContext(): Promise<StudyContext> {
  const { config, manifest, pipeline } = await setupPipeline();
  const session = { threads: config.pipeline.threads, providers: ['cpu'] };
  const embedders = await Promise.all(EMBEDDERS.map((id) => {
    const entry = findModel(manifest, id, 'embed');
    return Embedder.create(entry, join(config.models.dir, entry.file), session);
  }));
  return {
    pipeline,
    embedders,
    runMs: Object.fromEntries(EMBEDDERS.map((id) => [id, []])),
    threads: config.pipeline.threads,
    close: async () => {
      await Promise.all([pipeline.close(), ...embedders.map((e) => e.close())]);
    },
  };
}

const roots = (flags: Map<string, string | true>) => String(flags.get('data') ?? '../shared/faces/cfp,../shared/faces/facescrub').split(',').map((s) => s.trim()).filter(Boolean);

export async function runEmbeddingStudy(flags: Map<string, string | true>): Promise<void> {
  const ctx = await studyContext();
  console.log(`embedding study on the real pipeline's crops (detector ${ctx.pipeline.detector.id}); variants: ${Object.keys(VARIANTS).join(', ')}`);
  for (const root of roots(flags)) {
    const set = basename(root);
    const { faces, identities } = await embedSet(root, ctx);
    console.log(`\n${set}: ${faces.length} faces of ${identities} identities`);
    console.log('  variant                  runs/face   TAR@1e-3   TAR@1e-4' + (set === 'cfp' ? '   frontal-profile TAR@1e-3 / 1e-4' : '') + '   FNIR@FPIR1% (open set, centred)');
    for (const [name, variant] of Object.entries(VARIANTS)) {
      const v = faces.map(variant.vec);
      const genuine: number[] = [];
      const fp: number[] = [];
      const impostor: number[] = [];
      for (let i = 0; i < faces.length; i++) {
        if (!faces[i]!.passed) continue;
        for (let j = i + 1; j < faces.length; j++) {
          if (!faces[j]!.passed) continue;
          const s = dot(v[i]!, v[j]!);
          if (faces[i]!.identity !== faces[j]!.identity) impostor.push(s);
          else if (faces[i]!.profile !== faces[j]!.profile) fp.push(s);
          else if (!faces[i]!.profile) genuine.push(s);
        }
      }
      const t3 = thresholdAtFar(impostor, 1e-3);
      const t4 = thresholdAtFar(impostor, 1e-4);
      const p = (x: number) => `${(100 * x).toFixed(2)} %`.padStart(8);
      const fnir = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((seed) => fnirAtFpir1(faces, variant.vec, identities, seed));
      console.log(`  ${name.padEnd(24)} ${String(variant.runs).padStart(5)}     ${p(rateAbove(genuine, t3))}   ${p(rateAbove(genuine, t4))}` +
        (set === 'cfp' ? `   ${p(rateAbove(fp, t3))} / ${p(rateAbove(fp, t4))}        ` : '') + `   ${p(fnir.reduce((a, b) => a + b, 0) / fnir.length)}`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  console.log(`\nembedder time per run (median, one face, ORT_THREADS=${ctx.threads}): ` + EMBEDDERS.map((id) => `${id} ${median(ctx.runMs[id]!).toFixed(2)} ms`).join(', '));
  await ctx.close();
}

/**
 * `--template-study`: a subject enrolled with several photos, scored by its best single face or by its template
 * (the normalised sum of its centred faces), in the service's default embedding (mobilefacenet + flip).
 * Half the identities are enrolled with their first k frontal photos (--faces, default 3); their other photos
 * are genuine probes, every photo of the other half a distractor. Rank-1 and FNIR at FPIR 1 %, 10 splits.
 */
export async function runTemplateStudy(flags: Map<string, string | true>): Promise<void> {
  const ctx = await studyContext();
  const k = Number(flags.get('faces') ?? 3);
  const vec = VARIANTS['mobilefacenet + flip']!.vec;
  for (const root of roots(flags)) {
    const { faces, identities } = await embedSet(root, ctx);
    const v = faces.map(vec);
    const results: Record<'best face' | 'template', { rank1: number; fnir: number }[]> = { 'best face': [], template: [] };
    for (let seed = 1; seed <= 10; seed++) {
      const enrolled = new Set(shuffled([...Array(identities).keys()], seed).slice(0, Math.floor(identities / 2)));
      const gallery = new Map<number, number[]>();
      faces.forEach((f, i) => {
        const g = gallery.get(f.identity) ?? [];
        if (enrolled.has(f.identity) && f.passed && !f.profile && g.length < k) gallery.set(f.identity, [...g, i]);
      });
      const used = new Set([...gallery.values()].flat());
      const dim = v[0]!.length;
      const mu = new Float32Array(dim);
      for (const i of used) v[i]!.forEach((x, d) => (mu[d]! += x / used.size));
      const centre = (x: Float32Array) => norm(Float32Array.from(x, (y, d) => y - mu[d]!));
      const subjects = [...gallery.entries()].map(([id, list]) => {
        const cs = list.map((i) => centre(v[i]!));
        const t = new Float32Array(dim);
        for (const c of cs) c.forEach((x, d) => (t[d]! += x));
        return { id, faces: cs, template: norm(t) };
      });
      for (const mode of ['best face', 'template'] as const) {
        const genuine: { ok: boolean; score: number }[] = [];
        const distractor: number[] = [];
        faces.forEach((f, i) => {
          if (used.has(i)) return;
          const p = centre(v[i]!);
          let best = -2;
          let top = -1;
          for (const s of subjects) {
            const score = mode === 'template' ? dot(p, s.template) : Math.max(...s.faces.map((c) => dot(p, c)));
            if (score > best) [best, top] = [score, s.id];
          }
          if (enrolled.has(f.identity)) genuine.push({ ok: top === f.identity, score: best });
          else distractor.push(best);
        });
        distractor.sort((a, b) => b - a);
        const tau = distractor[Math.floor(0.01 * distractor.length)]!;
        results[mode].push({
          rank1: genuine.filter((g) => g.ok).length / genuine.length,
          fnir: genuine.filter((g) => !(g.ok && g.score > tau)).length / genuine.length,
        });
      }
    }
    console.log(`${basename(root)}: ${k} enrolled photos per subject, ${identities} identities, 10 splits`);
    for (const [mode, r] of Object.entries(results)) {
      const mean = (f: (x: { rank1: number; fnir: number }) => number) => (100 * r.reduce((s, x) => s + f(x), 0) / r.length).toFixed(2);
      console.log(`  ${mode.padEnd(10)} rank-1 ${mean((x) => x.rank1)} %, FNIR at FPIR 1 % ${mean((x) => x.fnir)} %`);
    }
  }
  await ctx.close();
}
