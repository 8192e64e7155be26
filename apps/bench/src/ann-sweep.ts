/**
 * The HNSW graph alone (usearch, no SQLite), for tuning M / ef_construct / ef_search / vector storage quickly at
 * sizes where a durable ingest through the embedded index takes too long on a small machine:
 *   npm run bench:ann -- <faces> <M> <ef_construct> <probes> <f32|f16|i8> <ef,ef,...> [graph file]
 * A graph file is kept after the run and reused by the next run with the same file, so a 1M graph (half an hour to
 * build on 2 cores) can be swept more than once.
 * Same synthetic face-like data, probes and decision threshold as bench:identify, and the same search the embedded
 * index makes: the graph's best 2x top-k (3x for f16/i8) re-scored exactly with the f32 vectors, cut to top 10.
 * Prints, per ef_search: mate recall (of the probe subject's faces in exact search's top 10 at or above the
 * open-set threshold for this gallery at FPIR 0.01, the share returned), top-1 subject agreement with exact search,
 * decision agreement (same subject above the threshold, or no one, as exact search decides), recall@10, and
 * single-query p50 / p99; the graph's RSS per face; and queries per second with all probes searched in one call
 * on one thread and on every core. Prints figures only.
 */
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import usearch from 'usearch';
import { galleryEntries, openSetThreshold } from '@facerec/calibration';
import { findModel, loadManifest } from '@facerec/models';
import { exactTopK } from '@facerec/vector-index/synthetic';
import { syntheticGallery } from './synthetic-gallery.ts';

const args = process.argv.slice(2).filter((a) => a !== '--');
const [n, m, efc, probesN] = [args[0] ?? '100000', args[1] ?? '32', args[2] ?? '128', args[3] ?? '1000'].map(Number) as [number, number, number, number];
const scalar = (args[4] ?? 'f32') as 'f32' | 'f16' | 'i8';
const efs = (args[5] ?? '32,64,128,256').split(',').map(Number);
const DIM = 128;
const PER_SUBJECT = 5;
const K = 10;

const cal = findModel(await loadManifest(join(import.meta.dirname, '..', '..', '..', 'models', 'manifest.json')), 'mobilefacenet', 'embed').open_set!;
const { subjects, data, probes, probeSubjects } = syntheticGallery(n, probesN, DIM, PER_SUBJECT);
const threshold = openSetThreshold(cal, 0.01, galleryEntries(subjects, n, cal.template_weight)).threshold;
const truth = exactTopK(data, probes, DIM, K);
const dot = (r: number, p: number): number => {
  let d = 0;
  for (let i = 0; i < DIM; i++) d += data[r * DIM + i]! * probes[p * DIM + i]!;
  return d;
};
const mates = probeSubjects.map((s, p) => Array.from(truth.slice(p * K, p * K + K)).filter((r) => Math.floor(r / PER_SUBJECT) === s && dot(r, p) >= threshold));
// The identification exact search decides: the top row's subject if it clears the threshold, else no one.
const decide = (row: number | undefined, p: number): number | null => (row !== undefined && row >= 0 && dot(row, p) >= threshold ? Math.floor(row / PER_SUBJECT) : null);
const decisions = probeSubjects.map((_, p) => decide(truth[p * K], p));

// As HnswGraph builds it: inner product on unit vectors for f32/f16, cosine for i8.
const make = (ef: number) =>
  new usearch.Index({
    dimensions: DIM,
    metric: scalar === 'i8' ? usearch.MetricKind.Cos : usearch.MetricKind.IP,
    quantization: scalar === 'i8' ? usearch.ScalarKind.I8 : scalar === 'f16' ? usearch.ScalarKind.F16 : usearch.ScalarKind.F32,
    connectivity: m,
    expansion_add: efc,
    expansion_search: ef,
    multi: false,
  });
const keep = args[6];
const file = keep ?? join(tmpdir(), `ann-sweep-${process.pid}.usearch`);
let built = 'reused';
if (!keep || !existsSync(keep)) {
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const index = make(64);
  const keys = new BigUint64Array(n);
  for (let i = 0; i < n; i++) keys[i] = BigInt(i);
  // The first 20k on one thread, the rest on all cores, as HnswGraph.add does.
  index.add(keys.subarray(0, Math.min(n, 20_000)), data.subarray(0, Math.min(n, 20_000) * DIM), 1);
  if (n > 20_000) index.add(keys.subarray(20_000), data.subarray(20_000 * DIM), 0);
  built = `build ${((performance.now() - t0) / 1000).toFixed(0)} s, graph RSS ${((process.memoryUsage().rss - rss0) / n).toFixed(0)} B/face`;
  index.save(file);
}
console.log(`${n} faces, M${m} ef_construct ${efc} ${scalar}: ${built}; ` +
  `decision threshold ${threshold.toFixed(4)}; ${mates.flat().length} mates above it in the exact top ${K} of ${probesN} probes`);
console.log('| ef_search | p50 ms | p99 ms | mate recall | top-1 agreement | decision agreement | recall@10 |\n|---|---|---|---|---|---|---|');
const throughput: string[] = [];
try {
  // usearch fixes ef_search when an index is made, so each ef gets its own copy of the graph. All are loaded
  // before any is timed, so no load (or free of the previous copy) can fall between timed queries: the
  // service loads its one graph once.
  const graphs = efs.map((ef) => {
    const index = make(ef);
    index.load(file);
    // A kept graph file says nothing of the arguments it was built with; refuse one built with another M.
    if (index.connectivity() !== m || index.size() !== n) throw new Error(`${file} holds ${index.size()} faces at M${index.connectivity()}, not ${n} at M${m}`);
    return { ef, index };
  });
  for (const { ef, index } of graphs) {
    // One untimed pass over every probe first, so the timed pass finds the graph's pages warm, as a
    // long-running service does.
    index.search(probes, K * (scalar === 'f32' ? 2 : 3), 1);
    let found = 0;
    let total = 0;
    let agree = 0;
    let decided = 0;
    let r10 = 0;
    const lat: number[] = [];
    for (let p = 0; p < probesN; p++) {
      const s = performance.now();
      const res = index.search(probes.subarray(p * DIM, (p + 1) * DIM), K * (scalar === 'f32' ? 2 : 3), 1);
      const top = Array.from(res.keys, Number).map((r) => ({ r, d: dot(r, p) })).sort((a, b) => b.d - a.d).slice(0, K).map((c) => c.r);
      lat.push(performance.now() - s);
      const got = new Set(top);
      total += mates[p]!.length;
      found += mates[p]!.filter((r) => got.has(r)).length;
      if (top[0] !== undefined && Math.floor(top[0] / PER_SUBJECT) === Math.floor(truth[p * K]! / PER_SUBJECT)) agree++;
      if (decide(top[0], p) === decisions[p]) decided++;
      const t = new Set(truth.slice(p * K, p * K + K));
      r10 += top.filter((r) => t.has(r)).length;
    }
    lat.sort((a, b) => a - b);
    const pct = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))]!.toFixed(2);
    const batch = (threads: number): string => {
      const t = performance.now();
      index.search(probes, K * (scalar === 'f32' ? 2 : 3), threads);
      return (probesN / ((performance.now() - t) / 1000)).toFixed(0);
    };
    throughput.push(`ef ${ef}: ${batch(1)} queries/s on one thread, ${batch(0)} on all cores`);
    console.log(`| ${ef} | ${pct(0.5)} | ${pct(0.99)} | ${(found / total).toFixed(4)} | ${(agree / probesN).toFixed(4)} | ${(decided / probesN).toFixed(4)} | ${(r10 / probesN / K).toFixed(3)} |`);
  }
  console.log(`\nAll probes in one call (several queries in parallel across cores):\n${throughput.join('\n')}`);
} finally {
  if (!keep) rmSync(file, { force: true });
}
