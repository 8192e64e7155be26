/**
 * Open-set 1:N identification on real photos: one enrolled photo per identity in a real embedded VectorIndex,
 * every other photo of those identities as genuine probes, and photos of never-enrolled people as distractors.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVectorIndex } from '@facerec/vector-index';
import { openSetRates, rankRate, type ProbeResult } from './identification-metrics.ts';

const TOP_K = 10;
const COLLECTION = 'bench_identify';

/** An image after the pipeline: its primary face's embedding, or why there was none. */
export interface EmbeddedImage {
  path: string;
  /** Null for a distractor. */
  identity: string | null;
  /** Which distractor set it came from, for the per-set breakdown. */
  set?: string;
  result: Float32Array | string;
}

export interface NamedThreshold {
  name: string;
  value: number;
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

/**
 * The first photo (sorted) of each identity is its gallery photo; when the pipeline finds no face there the next
 * one stands in, so that one bad crop does not drop a whole identity and turn its other photos into distractors.
 */
export function splitGallery(images: readonly EmbeddedImage[]): {
  gallery: { identity: string; path: string; embedding: Float32Array }[];
  probes: EmbeddedImage[];
  substituted: string[];
  unenrolled: string[];
} {
  const byIdentity = new Map<string, EmbeddedImage[]>();
  for (const img of images) {
    if (img.identity === null) throw new Error(`gallery image without identity: ${img.path}`);
    let list = byIdentity.get(img.identity);
    if (!list) byIdentity.set(img.identity, (list = []));
    list.push(img);
  }
  const gallery: { identity: string; path: string; embedding: Float32Array }[] = [];
  const probes: EmbeddedImage[] = [];
  const substituted: string[] = [];
  const unenrolled: string[] = [];
  for (const [identity, list] of byIdentity) {
    const g = list.findIndex((i) => typeof i.result !== 'string');
    if (g < 0) {
      unenrolled.push(identity);
      continue;
    }
    if (g > 0) substituted.push(identity);
    gallery.push({ identity, path: list[g]!.path, embedding: list[g]!.result as Float32Array });
    probes.push(...list.filter((_, i) => i !== g));
  }
  return { gallery, probes, substituted, unenrolled };
}

export async function runIdentification(args: {
  enrolled: readonly EmbeddedImage[];
  distractors: readonly EmbeddedImage[];
  /** The first is the service's default; the rest are printed for context. */
  thresholds: readonly NamedThreshold[];
}): Promise<void> {
  const { gallery, probes: genuineAll, substituted, unenrolled } = splitGallery(args.enrolled);
  if (gallery.length === 0) throw new Error('no identity could be enrolled');
  const allProbes = [...genuineAll, ...args.distractors];
  const failedGenuine = genuineAll.filter((p) => typeof p.result === 'string');
  const failedDistractors = args.distractors.filter((p) => typeof p.result === 'string');
  console.log(`gallery: ${gallery.length} identities enrolled (1 photo each)` +
    (substituted.length ? `; ${substituted.length} used a later photo because the first had no face: ${substituted.join(', ')}` : '') +
    (unenrolled.length ? `; ${unenrolled.length} not enrolled (no face in any photo): ${unenrolled.join(', ')}` : ''));
  console.log(`probes: ${genuineAll.length} genuine (${failedGenuine.length} no face), ` +
    `${args.distractors.length} distractor (${failedDistractors.length} no face)`);
  for (const p of [...failedGenuine, ...failedDistractors]) console.log(`  ${p.path}: ${p.result as string}`);

  const dataDir = await mkdtemp(join(tmpdir(), 'facerec-bench-identify-'));
  const results: (ProbeResult & { probe: EmbeddedImage })[] = [];
  try {
    const index = await createVectorIndex({ dataDir });
    try {
      await index.createCollection(COLLECTION, { dimension: gallery[0]!.embedding.length });
      await index.upsert(COLLECTION, gallery.map((g) => {
        const id = randomUUID();
        return { id, vector: g.embedding, payload: { subject_id: g.identity, face_id: id } };
      }));
      for (const p of allProbes) {
        if (typeof p.result === 'string') continue;
        const hits = await index.search(COLLECTION, p.result, { topK: TOP_K, bestPerSubject: true });
        results.push({ probe: p, truth: p.identity, hits: hits.map((h) => ({ subject: h.payload.subject_id, score: h.score })) });
      }
    } finally {
      await index.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }

  const genuineN = results.filter((r) => r.truth !== null).length;
  // A genuine probe the pipeline cannot embed is a miss for the user, so the rate over all probes is shown too.
  const overAll = (rate: number): string => pct((rate * genuineN) / genuineAll.length);
  const r1 = rankRate(results, 1);
  const r5 = rankRate(results, 5);
  console.log(`closed-set over ${genuineN} embedded genuine probes: rank-1 ${pct(r1)}, rank-5 ${pct(r5)}` +
    `  (counting no-face probes as misses: rank-1 ${overAll(r1)}, rank-5 ${overAll(r5)})`);
  for (const [i, t] of args.thresholds.entries()) {
    const o = openSetRates(results, t.value);
    console.log(`${i === 0 ? 'DEFAULT ' : ''}threshold ${t.value.toFixed(4)} (${t.name}): DIR ${pct(o.dir)}, ` +
      `false-match rate over ${o.distractors} distractors ${pct(o.falseMatchRate)}, ` +
      `wrong-identity match rate over ${o.genuine} genuine ${pct(o.wrongIdentityRate)}`);
  }
  const def = args.thresholds[0]!.value;
  const sets = [...new Set(args.distractors.map((d) => d.set ?? '?'))];
  console.log(`false matches at the default threshold, per distractor set: ` + sets.map((set) => {
    const o = openSetRates(results.filter((r) => r.truth === null && (r.probe.set ?? '?') === set), def);
    return `${set} ${Math.round(o.falseMatchRate * o.distractors)}/${o.distractors}`;
  }).join(', '));
  for (const r of results) {
    if (r.truth === null && r.hits[0] && r.hits[0].score >= def) console.log(`  ${r.probe.path} -> ${r.hits[0].subject} ${r.hits[0].score.toFixed(4)}`);
  }
  // Per-comparison FAR compounds over the gallery: a distractor gets N chances to clear the threshold.
  console.log(`note: a per-pair FAR f gives an expected open-set false-match rate of about 1-(1-f)^${gallery.length} ` +
    `(${pct(1 - (1 - 1e-3) ** gallery.length)} at f=1e-3) against this gallery, before any correlation between impostor scores.`);
  console.log('caveat: distractor sets are not filtered by name; a distractor who is also enrolled (e.g. a celebrity in both ' +
    'sets) counts as a false match when matched, so the false-match rate is an upper bound.');
}
