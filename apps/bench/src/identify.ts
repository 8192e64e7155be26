/**
 * 1:N identification benchmark for @facerec/vector-index (embedded adapter, or Qdrant when --qdrant-url is set).
 *
 *   npm run bench:identify -- [--sizes 100000,1000000] [--spec-url http://127.0.0.1:8000] [--probes 300] [--ef-sweep 1024,2048]
 *   npm run bench:identify -- --qdrant-url http://127.0.0.1:6333 [--qdrant-timeout-ms 60000] [--qdrant-indexing-threshold-kb N]
 *   graph settings: [--m 32] [--ef-construct 128] [--ef-search N] [--quantization none|int8|float16]
 *
 * Search quality is measured against exact search over the same vectors, per probe:
 *  - mate recall: of the same-subject faces exact search puts in the top 10 with a cosine at or above the decision
 *    threshold (the open-set threshold of mobilefacenet's calibration for this gallery's size at FPIR --fpir), the
 *    share the ANN returns. These are the hits that decide an identification; recall@10 also counts the impostor
 *    tail at cosine ~0.2 that decides nothing.
 *  - top-1 subject agreement: the ANN's best hit names the same subject as exact search's.
 *  - decision agreement: the ANN and exact search identify the same subject at the threshold, or both identify no
 *    one. Top-1 agreement also counts probes whose best exact hit is below the threshold, where either answer is
 *    "not enrolled"; this figure says whether the ANN changed an answer.
 *  - recall@1 / recall@10 against exact search, and top-1 subject = the probe's own subject.
 *
 * With Qdrant (QDRANT_API_KEY from the environment), collections are named facerec_bench_*; after the ingest the
 * run waits until Qdrant has finished indexing (status green) and reports that time in the "save/index s"
 * column, so searches measure the HNSW graph. RSS and disk are the server's, so they are not measured here.
 *
 * Synthetic but face-like 128-d data: 5 photos per subject, genuine cosine 0.5-0.8, impostors ~0.0-0.3; probes
 * are fresh photos of enrolled subjects. Prints figures only; nothing here asserts on time.
 */
import { rmSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { galleryEntries, openSetThreshold } from '@facerec/calibration';
import { loadProcessConfig } from '@facerec/config';
import { findModel, loadManifest } from '@facerec/models';
import { createVectorIndex, DEFAULT_HNSW, DEFAULT_QUANTIZATION, QdrantVectorIndex, type VectorIndex, type VectorRecord } from '@facerec/vector-index';
import { exactTopK } from '@facerec/vector-index/synthetic';
import { measureBaseline, type BaselineResult } from './identify-baseline.ts';
import { syntheticGallery } from './synthetic-gallery.ts';

const DIM = 128;
const PER_SUBJECT = 5;
const TOP_K = 10;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    probes: { type: 'string', default: '300' },
    'spec-url': { type: 'string' },
    'baseline-calls': { type: 'string', default: '1000' },
    'rebuild-max': { type: 'string', default: '100000' },
    'qdrant-url': { type: 'string' },
    // Bulk ingest against a busy server: longer than the service's 2 s per call.
    'qdrant-timeout-ms': { type: 'string', default: '60000' },
    // Unset: the server's default (10,000-20,000 KB by version: a segment under ~20k 128-d vectors gets no HNSW graph).
    'qdrant-indexing-threshold-kb': { type: 'string' },
    batch: { type: 'string', default: '5000' },
    // Extra ef_search values measured on the same graph after the default (reopened, not rebuilt).
    'ef-sweep': { type: 'string', default: '' },
    m: { type: 'string' },
    'ef-construct': { type: 'string' },
    'ef-search': { type: 'string' },
    quantization: { type: 'string' },
    // Decision threshold for mate recall: the collection default's false-positive identification rate.
    fpir: { type: 'string', default: '0.01' },
  },
});

const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
const probesN = Number(values.probes);
const batch = Number(values.batch);
const efSweep = values['ef-sweep'] ? values['ef-sweep'].split(',').map((v) => Number(v.trim())) : [];
const qdrantUrl = values['qdrant-url'];
const qdrantApiKey = qdrantUrl ? loadProcessConfig([]).qdrantApiKey : undefined;
const hnsw = {
  m: values.m ? Number(values.m) : DEFAULT_HNSW.m,
  efConstruct: values['ef-construct'] ? Number(values['ef-construct']) : DEFAULT_HNSW.efConstruct,
  efSearch: values['ef-search'] ? Number(values['ef-search']) : DEFAULT_HNSW.efSearch,
};
const quantization = (values.quantization ?? DEFAULT_QUANTIZATION) as 'none' | 'int8' | 'float16';
const fpir = Number(values.fpir);
const repoRootDir = resolve(import.meta.dirname, '..', '..', '..');
const openSet = findModel(await loadManifest(join(repoRootDir, 'models/manifest.json')), 'mobilefacenet', 'embed').open_set!;
/** The decision threshold a collection of n faces (PER_SUBJECT per subject) uses at the default FPIR. */
const decisionThreshold = (n: number): number => openSetThreshold(openSet, fpir, galleryEntries(Math.ceil(n / PER_SUBJECT), n, openSet.template_weight)).threshold;

function faceId(row: number): string {
  return `00000000-0000-4000-8000-${row.toString(16).padStart(12, '0')}`;
}
function rowOf(id: string): number {
  return Number.parseInt(id.slice(24), 16);
}
function rssMiB(): number {
  return process.memoryUsage().rss / 2 ** 20;
}
function dirBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size;
  return total;
}
function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
function log(msg: string): void {
  process.stderr.write(`[identify] ${msg}\n`);
}

interface SizeResult extends SearchQuality {
  n: number;
  threshold: number;
  sweep: SweepResult[];
  insertPerSec: number;
  ingestS: number;
  /** Embedded: writing the graph file on close. Qdrant: waiting for the optimizer to finish indexing. */
  saveS: number;
  rebuildS: number | null;
  /** Qdrant only: vectors in HNSW-indexed segments once the optimizer settled. */
  indexedVectors: number | null;
  rssPerFace: number | null;
  diskPerFace: number | null;
  coldStartS: number;
}

const open = (dataDir: string, efSearch = hnsw.efSearch): Promise<VectorIndex> =>
  createVectorIndex({
    dataDir,
    qdrantUrl,
    qdrantApiKey,
    qdrantTimeoutMs: Number(values['qdrant-timeout-ms']),
    ...(values['qdrant-indexing-threshold-kb'] ? { qdrantIndexingThresholdKb: Number(values['qdrant-indexing-threshold-kb']) } : {}),
    hnsw: { ...hnsw, efSearch },
    quantization: { type: quantization, rescore: true },
    saveEveryChanges: 1e12,
    saveIntervalMs: 0,
    qdrantCollectionPrefix: 'facerec_bench_',
    onWarning: (message, details) => log(`${message}: ${JSON.stringify(details)}`),
  });

interface SearchQuality {
  p50: number;
  p99: number;
  recall1: number;
  recall10: number;
  identAcc: number;
  /** Of the probe subject's faces in exact search's top 10 at or above the decision threshold, the share returned. */
  mateRecall: number;
  /** Mates above the threshold that exact search found, over all probes (the denominator of mateRecall). */
  mates: number;
  /** The ANN's top hit names exact search's top subject. */
  top1Agreement: number;
  /** Same identification as exact search: the same subject at or above the threshold, or neither above it. */
  decisionAgreement: number;
}

interface SweepResult extends SearchQuality {
  efSearch: number;
}

/**
 * Exact search's answer per probe: top-10 rows, the probe subject's rows among them at or above the threshold, and
 * the identification it decides (the top row's subject if that row clears the threshold, else null).
 */
interface Truth {
  rows: Int32Array;
  mates: number[][];
  decisions: (number | null)[];
  threshold: number;
}

function exactTruth(data: Float32Array, probes: Float32Array, probeSubjects: number[], threshold: number): Truth {
  const rows = exactTopK(data, probes, DIM, TOP_K);
  const score = (r: number, p: number): number => {
    let dot = 0;
    for (let d = 0; d < DIM; d++) dot += data[r * DIM + d]! * probes[p * DIM + d]!;
    return dot;
  };
  const mates = probeSubjects.map((subject, p) => {
    const out: number[] = [];
    for (let i = 0; i < TOP_K; i++) {
      const r = rows[p * TOP_K + i]!;
      if (r >= 0 && Math.floor(r / PER_SUBJECT) === subject && score(r, p) >= threshold) out.push(r);
    }
    return out;
  });
  const decisions = probeSubjects.map((_, p) => {
    const top = rows[p * TOP_K]!;
    return top >= 0 && score(top, p) >= threshold ? Math.floor(top / PER_SUBJECT) : null;
  });
  return { rows, mates, decisions, threshold };
}

/** Latency and recall against exact search over every probe, after a short warm-up. */
async function measureSearch(index: VectorIndex, probes: Float32Array, truth: Truth, probeSubjects: number[]): Promise<SearchQuality> {
  for (let p = 0; p < Math.min(30, probesN); p++) await index.search('bench', probes.subarray(p * DIM, (p + 1) * DIM), { topK: TOP_K });
  const lat: number[] = [];
  let r1 = 0;
  let r10 = 0;
  let ident = 0;
  let agree = 0;
  let decide = 0;
  let mates = 0;
  let matesFound = 0;
  for (let p = 0; p < probesN; p++) {
    const q = probes.subarray(p * DIM, (p + 1) * DIM);
    const s = performance.now();
    const hits = await index.search('bench', q, { topK: TOP_K });
    lat.push(performance.now() - s);
    const rows = hits.map((h) => rowOf(h.id));
    const t = Array.from(truth.rows.slice(p * TOP_K, (p + 1) * TOP_K));
    if (rows[0] === t[0]) r1++;
    const ts = new Set(t);
    r10 += rows.filter((r) => ts.has(r)).length;
    if (hits[0]?.payload.subject_id === `subject-${probeSubjects[p]}`) ident++;
    if (rows[0] !== undefined && Math.floor(rows[0] / PER_SUBJECT) === Math.floor(t[0]! / PER_SUBJECT)) agree++;
    const decision = hits[0] && hits[0].score >= truth.threshold ? Math.floor(rows[0]! / PER_SUBJECT) : null;
    if (decision === truth.decisions[p]) decide++;
    const got = new Set(rows);
    mates += truth.mates[p]!.length;
    matesFound += truth.mates[p]!.filter((r) => got.has(r)).length;
  }
  lat.sort((a, b) => a - b);
  return {
    p50: pct(lat, 0.5),
    p99: pct(lat, 0.99),
    recall1: r1 / probesN,
    recall10: r10 / (probesN * TOP_K),
    identAcc: ident / probesN,
    mateRecall: mates ? matesFound / mates : 1,
    mates,
    top1Agreement: agree / probesN,
    decisionAgreement: decide / probesN,
  };
}

async function runSize(n: number): Promise<SizeResult> {
  log(`n=${n}: generating ${n} faces of ${Math.ceil(n / PER_SUBJECT)} subjects`);
  const { data, probes, probeSubjects } = syntheticGallery(n, probesN, DIM, PER_SUBJECT);

  const dataDir = mkdtempSync(join(tmpdir(), 'bench-identify-'));
  try {
    let index = await open(dataDir);
    await index.dropCollection('bench');
    await index.createCollection('bench', { dimension: DIM });
    const t0 = performance.now();
    for (let o = 0; o < n; o += batch) {
      const records: VectorRecord[] = [];
      for (let i = o; i < Math.min(n, o + batch); i++) {
        const id = faceId(i);
        records.push({ id, vector: data.subarray(i * DIM, (i + 1) * DIM), payload: { subject_id: `subject-${Math.floor(i / PER_SUBJECT)}`, face_id: id } });
      }
      await index.upsert('bench', records);
      if ((o / batch) % 20 === 19) log(`n=${n}: ingested ${o + batch} (${((o + batch) / ((performance.now() - t0) / 1000)).toFixed(0)} faces/s)`);
    }
    const ingestS = (performance.now() - t0) / 1000;
    log(`n=${n}: ingest ${ingestS.toFixed(1)} s; computing exact ground truth`);
    const threshold = decisionThreshold(n);
    const truth = exactTruth(data, probes, probeSubjects, threshold);
    log(`n=${n}: decision threshold ${threshold.toFixed(4)} (FPIR ${fpir}); ${truth.mates.reduce((a, m) => a + m.length, 0)} mates above it in the exact top ${TOP_K} of ${probesN} probes`);

    const tSave = performance.now();
    let indexedVectors: number | null = null;
    if (index instanceof QdrantVectorIndex) {
      log(`n=${n}: waiting for Qdrant to finish indexing`);
      indexedVectors = (await index.waitForIndexing('bench', { timeoutMs: 3_600_000, pollMs: 1000 })).indexedVectors;
    }
    await index.close();
    const saveS = (performance.now() - tSave) / 1000;
    gc();
    await new Promise((r) => setTimeout(r, 200));
    gc();
    const rssBefore = rssMiB();
    const tOpen = performance.now();
    index = await open(dataDir);
    await index.search('bench', probes.subarray(0, DIM), { topK: TOP_K });
    const coldStartS = (performance.now() - tOpen) / 1000;
    const rssAfter = rssMiB();

    const quality = await measureSearch(index, probes, truth, probeSubjects);
    const sweep: SweepResult[] = [];
    for (const efSearch of efSweep) {
      await index.close();
      index = await open(dataDir, efSearch);
      sweep.push({ efSearch, ...(await measureSearch(index, probes, truth, probeSubjects)) });
      log(`n=${n}: ef_search ${efSearch}: ${JSON.stringify(sweep.at(-1))}`);
    }
    const diskPerFace = index.kind === 'embedded' ? dirBytes(dataDir) / n : null;

    let rebuildS: number | null = null;
    if (index.kind === 'embedded' && n <= Number(values['rebuild-max'])) {
      await index.close();
      rmSync(join(dataDir, 'index'), { recursive: true, force: true });
      const tr = performance.now();
      index = await open(dataDir);
      rebuildS = (performance.now() - tr) / 1000;
    }
    await index.dropCollection('bench');
    await index.close();
    return {
      n,
      threshold,
      insertPerSec: n / ingestS,
      ingestS,
      saveS,
      rebuildS,
      indexedVectors,
      ...quality,
      sweep,
      rssPerFace: index.kind === 'embedded' ? ((rssAfter - rssBefore) * 2 ** 20) / n : null,
      diskPerFace,
      coldStartS,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(' | ')} |`;
  return [line(cells[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

const repoRoot = repoRootDir;
log(`baseline: timing ${values['baseline-calls']} POST /api/compare_features calls`);
const baseline: BaselineResult = await measureBaseline({ specUrl: values['spec-url'], calls: Number(values['baseline-calls']), repoRoot });
const results: SizeResult[] = [];
for (const n of sizes) {
  results.push(await runSize(n));
  // Each size's figures go out as soon as they exist, so a long 1M run that is stopped keeps the 100k row.
  log(`result ${JSON.stringify(results.at(-1))}`);
}

const f = (x: number, d = 2) => x.toFixed(d);
const na = (x: number | null, d = 0) => (x === null ? 'n/a' : x.toFixed(d));
console.log(`\n1:N identification, ${qdrantUrl ? `qdrant adapter (${qdrantUrl})` : 'embedded adapter'}, HNSW M=${hnsw.m} ef_construct=${hnsw.efConstruct} ef_search=${hnsw.efSearch}, ${quantization === 'none' ? 'f32' : quantization} (rescored with the stored f32 vectors), ${DIM}-d, ${PER_SUBJECT} faces/subject, ${probesN} probes, top_k=${TOP_K}\n`);
console.log(
  table(
    [
      'enrolled',
      'insert faces/s',
      'ingest s',
      'save/index s',
      'rebuild s',
      'p50 ms',
      'p99 ms',
      'recall@1',
      'recall@10',
      'top-1 subject',
      'threshold',
      'mate recall',
      'top-1 agreement',
      'decision agreement',
      'RSS B/face',
      'disk B/face',
      'cold start s',
    ],
    results.map((r) => [
      r.n.toLocaleString('en-US'),
      f(r.insertPerSec, 0),
      f(r.ingestS, 1),
      f(r.saveS, 1),
      r.rebuildS === null ? 'skipped' : f(r.rebuildS, 1),
      f(r.p50),
      f(r.p99),
      f(r.recall1, 3),
      f(r.recall10, 4),
      f(r.identAcc, 3),
      f(r.threshold, 3),
      `${f(r.mateRecall, 4)} (${r.mates})`,
      f(r.top1Agreement, 4),
      f(r.decisionAgreement, 4),
      na(r.rssPerFace),
      na(r.diskPerFace),
      f(r.coldStartS, 2),
    ]),
  ),
);
for (const r of results) {
  if (r.indexedVectors !== null) console.log(`Qdrant at ${r.n.toLocaleString('en-US')}: ${r.indexedVectors.toLocaleString('en-US')} of ${r.n.toLocaleString('en-US')} vectors in HNSW-indexed segments (the rest are searched exactly).`);
}
console.log(`\nOld API baseline: ${baseline.calls} sequential POST /api/compare_features against ${baseline.target} (${baseline.source}): ${f(baseline.msPerCall, 3)} ms/call`);
if (baseline.note) console.log(`  note: ${baseline.note}`);
console.log(
  table(
    ['enrolled', 'old 1:N (N calls, extrapolated)', 'new 1:N p50', 'speed-up'],
    results.map((r) => {
      const oldMs = baseline.msPerCall * r.n;
      return [r.n.toLocaleString('en-US'), oldMs > 60_000 ? `${f(oldMs / 60_000, 1)} min` : `${f(oldMs / 1000, 1)} s`, `${f(r.p50)} ms`, `${Math.round(oldMs / r.p50).toLocaleString('en-US')}x`];
    }),
  ),
);
if (efSweep.length > 0) {
  console.log('\nef_search on the same graph (same probes; the default row repeated first):');
  console.log(
    table(
      ['enrolled', 'ef_search', 'p50 ms', 'p99 ms', 'recall@1', 'recall@10', 'top-1 subject', 'mate recall', 'top-1 agreement', 'decision agreement'],
      results.flatMap((r) =>
        [{ efSearch: hnsw.efSearch, ...r }, ...r.sweep].map((q) => [
          r.n.toLocaleString('en-US'),
          String(q.efSearch),
          f(q.p50),
          f(q.p99),
          f(q.recall1, 3),
          f(q.recall10, 4),
          f(q.identAcc, 3),
          f(q.mateRecall, 4),
          f(q.top1Agreement, 4),
          f(q.decisionAgreement, 4),
        ]),
      ),
    ),
  );
}
console.log('\nTargets at 1M: p99 <= 5 ms with mate recall >= 0.999 and top-1 agreement >= 0.999, speed-up >= 10^4x. Timings come from a shared 2-core machine; read them as indicative.');
