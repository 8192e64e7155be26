/**
 * Calibrates an embedder on labelled photos with the real pipeline and (with --write) stores the result in
 * models/manifest.json: per-pair 1:1 thresholds on raw cosines, and the open-set calibration collections use.
 *   npm run models:calibrate -- --model <id> --data <dir>[,<dir>...] [--write]
 * Each --data folder holds <identity>/<image> and is one "domain" (one source of photos): pairs are only
 * formed within a domain, and open-set scores are centred on the domain's own mean face, as a collection
 * centres on its own.
 */
import { bootstrapThresholds, fitScoreTail, openSetCalibrationSchema, scoreAtFar, farAt, type OpenSetCalibration } from '@facerec/calibration';
import { thresholdsSchema, type Thresholds } from '@facerec/models';
import { parseCli, setupPipeline } from './bench-setup.ts';
import { centred, embedDomain, faceCount, type Domain } from './calibration/labelled-sets.ts';
import { allPairs, galleryImpostors, templateImpostors } from './calibration/pair-scores.ts';
import { printGalleryThresholds, printIntervals, printTailChecks, printTailFit } from './calibration/tail-report.ts';
import { writeEmbedderCalibration } from './manifest-writer.ts';
import { rateAbove, thresholdAtFar } from './roc-metrics.ts';

/** Domains with fewer identities have a mean face that is mostly their own people, not their source. */
const MIN_OPEN_SET_IDENTITIES = 20;
const TAIL_FRACTION = 1e-3;
const CENTROID_PRIOR_FACES = 5;
const AMBIGUITY_LIKELIHOOD_RATIO = 10;
const TEMPLATE_FACES = 3;

const concat = (parts: readonly Float32Array[]): Float32Array => {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const sci = (x: number): string => x.toExponential(2);

const { flags } = parseCli(process.argv.slice(2), ['write']);
const model = flags.get('model');
const data = flags.get('data');
if (typeof model !== 'string' || typeof data !== 'string') {
  console.error('usage: npm run models:calibrate -- --model <embedder id> --data <dir>[,<dir>...] [--write]');
  process.exit(2);
}
const { config, pipeline } = await setupPipeline({ embedder: model });
const p = config.pipeline;
const pipelineText = `${pipeline.detector.id} detectSize=${p.detectSize} score=${p.detectScore} nms=${p.nmsIou}; primary face (prominence); ` +
  `320px landmark refine pass blended 50/50; umeyama 5-point ArcFace 112 align; ${pipeline.embedder.id}${p.flipTta ? ' + flip TTA' : ''}`;
console.log(`calibrating ${pipeline.embedder.id} (${pipeline.dimension}-d), flip TTA ${p.flipTta}, detector ${pipeline.detector.id}`);

const domains: Domain[] = [];
for (const root of data.split(',').map((s) => s.trim()).filter(Boolean)) {
  const started = performance.now();
  const d = await embedDomain(pipeline, root);
  domains.push(d);
  console.log(`  ${d.name}: ${d.images} images, ${d.identities.length} identities, ${faceCount(d)} faces (${d.failures.length} without one), ` +
    `${d.passed.reduce((n, x) => n + x, 0)} pass the quality gate; ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
await pipeline.close();

// 1:1 thresholds: raw cosines of every within-domain pair, as /api/compare_* compares two vectors.
const raw = domains.map((d) => allPairs(d, d.vectors));
const rawImpostor = Float64Array.from(concat(raw.map((r) => r.impostor)));
const rawGenuine = Float64Array.from(raw.flatMap((r) => [...r.genuine]));
const t2 = thresholdAtFar(rawImpostor, 1e-2);
const t3 = thresholdAtFar(rawImpostor, 1e-3);
const t4 = thresholdAtFar(rawImpostor, 1e-4);
const label = domains.map((d) => `${d.name} (${faceCount(d)} faces, ${d.identities.length} ids)`).join(', ');
const thresholds: Thresholds = thresholdsSchema.parse({
  dataset: `${label}; all within-set pairs, raw cosine`,
  impostor_pairs: rawImpostor.length,
  genuine_pairs: rawGenuine.length,
  far_1e2: round4(t2),
  far_1e3: round4(t3),
  far_1e4: round4(t4),
  tar_at_far_1e3: round4(rateAbove(rawGenuine, t3)),
  default: 'far_1e3',
  measured_at: new Date().toISOString().slice(0, 10),
  pipeline: `${pipelineText}; cosine`,
});
console.log(`\n1:1 (raw cosine): ${rawGenuine.length} genuine / ${rawImpostor.length} impostor pairs; thresholds FAR 1e-2 ${t2.toFixed(4)}, 1e-3 ${t3.toFixed(4)}, 1e-4 ${t4.toFixed(4)}; ` +
  `TAR at 1e-3 ${(100 * rateAbove(rawGenuine, t3)).toFixed(2)} %, at 1e-4 ${(100 * rateAbove(rawGenuine, t4)).toFixed(2)} %`);
for (const [i, d] of domains.entries()) {
  const r = raw[i]!;
  console.log(`  ${d.name}: FAR at the 1e-3 threshold ${sci(rateAbove(r.impostor, t3))}, TAR ${(100 * rateAbove(r.genuine, t3)).toFixed(2)} %`);
}

// Open set: centred scores, gallery-quality face against any face, within each large enough domain.
const open = domains.filter((d) => d.identities.length >= MIN_OPEN_SET_IDENTITIES);
console.log(`\nopen set: centred scores within ${open.map((d) => d.name).join(', ')} (domains of >= ${MIN_OPEN_SET_IDENTITIES} identities)`);
const centredVectors = open.map(centred);
const gallery = open.map((d, i) => galleryImpostors(d, centredVectors[i]!));
const scores = concat(gallery.map((g) => g.scores));
const tail = fitScoreTail(scores, TAIL_FRACTION); // sorts `scores` descending
printTailFit(scores, tail);
printTailChecks(scores);

const exceedances = gallery.flatMap((g, domain) => {
  const ids = open[domain]!.identities.length;
  const out: { domain: number; a: number; b: number; x: number }[] = [];
  for (let i = 0; i < g.scores.length; i++) {
    const s = g.scores[i]!;
    if (s > tail.u) out.push({ domain, a: Math.floor(g.identityPair[i]! / ids), b: g.identityPair[i]! % ids, x: s - tail.u });
  }
  return out;
});
const farsOfInterest = [1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9];
const intervals = bootstrapThresholds(
  { u: tail.u, domains: open.map((d, i) => ({ identities: d.identities.length, pairCounts: gallery[i]!.pairCounts })), exceedances },
  farsOfInterest,
).map((iv) => ({ ...iv, threshold: scoreAtFar(tail, iv.far) }));
printIntervals(intervals);

// Subject templates: how much heavier their impostor tail is than a single face's, near the decision range.
const templ = concat(open.map((d, i) => templateImpostors(d, centredVectors[i]!, TEMPLATE_FACES)));
const ratios = [1e-3, 1e-4].map((far) => {
  const t = scoreAtFar(tail, far);
  let k = 0;
  for (const s of templ) if (s >= t) k++;
  return k / templ.length / far;
});
const ratio = Math.sqrt(ratios[0]! * ratios[1]!);
const templateWeight = Math.max(0, (ratio - 1) / (1 - 1 / TEMPLATE_FACES));
console.log(`  ${TEMPLATE_FACES}-face templates vs single faces (${templ.length} pairs): FAR ratio ${ratios.map((r) => r.toFixed(2)).join(' at 1e-3, ')} at 1e-4 ` +
  `-> a multi-face subject counts as ${(1 + templateWeight).toFixed(2)} gallery entries`);

const calibration: OpenSetCalibration = openSetCalibrationSchema.parse({
  dataset: open.map((d) => `${d.name} (${faceCount(d)} faces, ${d.identities.length} ids)`).join(', ') +
    '; pairs of faces of two identities that both pass the quality gate, within each set; cosine after subtracting the set mean',
  identities: open.reduce((n, d) => n + d.identities.length, 0),
  images: open.reduce((n, d) => n + faceCount(d), 0),
  impostor_pairs: scores.length,
  centroid_prior_faces: CENTROID_PRIOR_FACES,
  tail: { ...tail, body: tail.body.map(([s, f]) => [round6(s), f]), u: round6(tail.u), xi: round6(tail.xi), sigma: round6(tail.sigma) },
  template_weight: Math.round(templateWeight * 100) / 100,
  ambiguity_likelihood_ratio: AMBIGUITY_LIKELIHOOD_RATIO,
  uncertainty: intervals.map((i) => ({ far: i.far, threshold: round4(i.threshold), lo: round4(i.lo), hi: round4(i.hi) })),
  measured_at: new Date().toISOString().slice(0, 10),
  pipeline: pipelineText,
});
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

// Same-identity pairs where both faces pass the gate, as the impostor pairs above.
const genuineCentred = Float64Array.from(open.flatMap((d, i) => [...allPairs(d, centredVectors[i]!, true).genuine]));
printGalleryThresholds(calibration, genuineCentred);
console.log(`  check: FAR at the fitted 1e-5 threshold ${sci(farAt(calibration.tail, scoreAtFar(calibration.tail, 1e-5)))}`);

if (flags.has('write')) await writeEmbedderCalibration(config.models.manifestPath, pipeline.embedder.id, { thresholds, open_set: calibration });
else console.log('\n(dry run: pass --write to store these in the manifest)');
