/**
 * `npm run bench:accuracy -- --openset`: open-set 1:N accuracy through the real service, the way a user meets
 * it. People are identified by name across sets (several celebrities are in both cfp and facescrub); every
 * third name (sorted) is never enrolled; the others are enrolled one photo each (their first), one
 * POST /v1/collections/{c}/faces at a time with the defaults, in an order that mixes the sets. After each
 * gallery size, every other photo of the enrolled people and every photo of the people never enrolled (plus
 * the distractor-only sets) is sent to /identify.
 *
 * Prints per gallery size: enrollment outcomes by code, rank-1, FNIR and FPIR at the default decision, FNIR
 * at the threshold that gives 1 % FPIR on these distractors, and, from the model's calibration, the threshold
 * and predicted FNIR at 10k-10M faces. Last, the conflict check's other side: each enrolled person's second
 * frontal photo is enrolled under a new subject id, and the share refused as `subject_conflict` naming that
 * person is how often a genuine duplicate identity is caught. Asserts nothing.
 *
 * Flags: --sets cfp,facescrub,...  --distractor-sets faceapijs_bbt_group,facenetpt_singles  --sizes 50,150,all
 *        --concurrency 4
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { farAt, fpirFromFar, openSetThreshold, type OpenSetCalibration } from '@facerec/calibration';
import { findModel, loadManifest } from '@facerec/models';
import { mapLimit } from './embed-files.ts';
import { listIdentityImages, listImagesRecursive } from './image-files.ts';
import { startProc } from './queue-procs.ts';

const facesRoot = fileURLToPath(new URL('../../../../shared/faces/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const COLLECTION = 'openset';
const log = (msg: string) => process.stderr.write(`[openset] ${msg}\n`);
const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(2)} %`);

interface Probe {
  path: string;
  set: string;
  /** `<set>/<identity>`, or null for someone never enrolled. */
  truth: string | null;
  /** cfp files 11-14 are full profiles: reported apart. */
  profile: boolean;
}

interface Answer {
  probe: Probe;
  decision: 'match' | 'unknown' | 'ambiguous' | 'no_face' | string;
  match: string | null;
  top: string | null;
  similarity: number | null;
}

const isProfile = (set: string, path: string) => set === 'cfp' && Number(basename(path).split('.')[0]) > 10;

/** The same person under the names different sets use (ageitgey_fr says "obama" where cfp says "Barack_Obama"). */
const ALIASES: Record<string, string> = { obama: 'barack_obama', biden: 'joe_biden' };
const personName = (identity: string): string => ALIASES[identity.toLowerCase()] ?? identity.toLowerCase();

export async function runOpenSet(flags: Map<string, string | true>): Promise<void> {
  const list = (name: string, dflt: string) => String(flags.get(name) ?? dflt).split(',').map((s) => s.trim()).filter(Boolean);
  // deepface_tests names its people id01..id13, and they are celebrities that cfp and facescrub hold by name
  // (id04's photos are Mark Zuckerberg's): with it, true matches would count as false ones.
  const sets = list('sets', 'cfp,facescrub,krasserm_lfw10,faceapijs_bbt,ageitgey_fr,openface_examples');
  // faceapijs_bbt_group shows the faceapijs_bbt cast, so it holds enrolled people: not a distractor set.
  const distractorSets = list('distractor-sets', 'facenetpt_singles');
  const concurrency = Number(flags.get('concurrency') ?? 4);

  // One person per name, whichever sets their photos are in; every third name (sorted) is never enrolled.
  const photosOf = new Map<string, { path: string; set: string }[]>();
  for (const set of sets) {
    for (const img of await listIdentityImages(join(facesRoot, set))) {
      const name = personName(img.identity);
      (photosOf.get(name) ?? photosOf.set(name, []).get(name)!).push({ path: img.path, set });
    }
  }
  const names = [...photosOf.keys()].sort();
  const gallery: { subject: string; path: string; set: string }[][] = sets.map(() => []);
  const genuine: Probe[] = [];
  const distractors: Probe[] = [];
  names.forEach((name, k) => {
    const mine = photosOf.get(name)!;
    if (k % 3 === 2) for (const m of mine) distractors.push({ path: m.path, set: m.set, truth: null, profile: isProfile(m.set, m.path) });
    else {
      gallery[sets.indexOf(mine[0]!.set)]!.push({ subject: name, path: mine[0]!.path, set: mine[0]!.set });
      for (const m of mine.slice(1)) genuine.push({ path: m.path, set: m.set, truth: name, profile: isProfile(m.set, m.path) });
    }
  });
  for (const set of distractorSets) for (const path of await listImagesRecursive(join(facesRoot, set))) distractors.push({ path, set, truth: null, profile: false });
  // Enrollment order: round-robin over the sets, so every gallery size mixes them.
  const order: { subject: string; path: string; set: string }[] = [];
  for (let i = 0; order.length < gallery.reduce((n, g) => n + g.length, 0); i++) for (const g of gallery) if (g[i]) order.push(g[i]!);
  const sizes = list('sizes', '50,150,all').map((s) => (s === 'all' ? order.length : Math.min(order.length, Number(s))));
  log(`${order.length} people to enroll, ${genuine.length} genuine probes, ${distractors.length} distractor probes (${new Set(distractors.map((d) => d.truth ?? d.path)).size} photos of people never enrolled)`);

  const manifest = await loadManifest(join(repoRoot, 'models/manifest.json'));
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-openset-'));
  const svc = await startProc('apps/gateway/src/main.ts', { DATA_DIR: dataDir, LOG_LEVEL: 'info' }, { listening: true, models: true });
  try {
    const created = await fetch(`${svc.url}/v1/collections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: COLLECTION }) });
    const col = (await created.json()) as { embedder: string };
    const cal = findModel(manifest, col.embedder, 'embed').open_set!;
    const outcomes = new Map<string, number>();
    const refused = new Set<string>();
    let enrolled = 0;
    for (const size of sizes) {
      const t0 = performance.now();
      for (; enrolled < size; enrolled++) {
        const g = order[enrolled]!;
        const form = new FormData();
        form.append('image', new Blob([readFileSync(g.path)]), basename(g.path));
        form.append('subject_id', g.subject);
        const res = await fetch(`${svc.url}/v1/collections/${COLLECTION}/faces`, { method: 'POST', body: form });
        const body = (await res.json()) as { code?: string };
        const key = res.status < 300 ? 'enrolled' : (body.code ?? String(res.status));
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        if (res.status >= 300) refused.add(g.subject);
      }
      const enrolledSubjects = new Set(order.slice(0, size).map((g) => g.subject));
      const probes = [...genuine.filter((p) => enrolledSubjects.has(p.truth!)), ...distractors];
      const answers = await mapLimit(probes, concurrency, (p) => identify(svc.url, p));
      const rule = (await (await fetch(`${svc.url}/v1/collections/${COLLECTION}`)).json()) as { decision: { threshold: number; gallery: { subjects: number; entries: number } } };
      report(size, outcomes, refused, answers, rule.decision, (performance.now() - t0) / 1000);
      if (size === sizes.at(-1)) predict(cal, rule.decision.threshold, answers);
    }
    const accepted = new Set(order.slice(0, enrolled).map((g) => g.subject).filter((s) => !refused.has(s)));
    await duplicateCheck(svc.url, genuine.filter((p) => accepted.has(p.truth!) && !p.profile));
  } finally {
    await svc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Enrolls one more photo of each enrolled person under a new subject id: a duplicate identity that the
 * conflict check should refuse. An accepted duplicate is deleted at once, so it cannot shadow the next.
 */
async function duplicateCheck(url: string, probes: Probe[]): Promise<void> {
  const firstOf = new Map<string, Probe>();
  for (const p of probes) if (!firstOf.has(p.truth!)) firstOf.set(p.truth!, p);
  const counts = { caught: 0, otherSubject: 0, missed: 0, other: new Map<string, number>() };
  for (const [person, probe] of firstOf) {
    const subject = `duplicate-of-${person}`.slice(0, 128);
    const form = new FormData();
    form.append('image', new Blob([readFileSync(probe.path)]), basename(probe.path));
    form.append('subject_id', subject);
    const res = await fetch(`${url}/v1/collections/${COLLECTION}/faces`, { method: 'POST', body: form });
    const body = (await res.json()) as { code?: string; details?: { subject_id?: string } };
    if (res.status < 300) {
      counts.missed++;
      await fetch(`${url}/v1/collections/${COLLECTION}/subjects/${encodeURIComponent(subject)}`, { method: 'DELETE' });
    } else if (body.code === 'subject_conflict') {
      if (body.details?.subject_id === person) counts.caught++;
      else counts.otherSubject++;
    } else counts.other.set(body.code ?? String(res.status), (counts.other.get(body.code ?? String(res.status)) ?? 0) + 1);
  }
  const n = firstOf.size;
  console.log(`
duplicate identities (each enrolled person's second frontal photo under a new subject id, ${n} people):`);
  console.log(`  refused as subject_conflict naming that person ${pct(counts.caught, n)}; naming someone else ${pct(counts.otherSubject, n)}; ` +
    `accepted (duplicate missed) ${pct(counts.missed, n)}` + [...counts.other].map(([k, v]) => `; ${k} ${v}`).join(''));
}

async function identify(url: string, probe: Probe): Promise<Answer> {
  const form = new FormData();
  form.append('image', new Blob([readFileSync(probe.path)]), basename(probe.path));
  form.append('top_k', '1');
  const res = await fetch(`${url}/v1/collections/${COLLECTION}/identify`, { method: 'POST', body: form });
  const body = (await res.json()) as {
    code?: string;
    faces?: { decision: string; match: { subject_id: string } | null; top: { subject_id: string; similarity: number } | null }[];
  };
  const face = body.faces?.[0];
  if (!face) return { probe, decision: body.code ?? `http_${res.status}`, match: null, top: null, similarity: null };
  return { probe, decision: face.decision, match: face.match?.subject_id ?? null, top: face.top?.subject_id ?? null, similarity: face.top?.similarity ?? null };
}

function report(
  size: number,
  outcomes: Map<string, number>,
  refused: Set<string>,
  answers: Answer[],
  rule: { threshold: number; gallery: { subjects: number; entries: number } },
  seconds: number,
): void {
  const gen = answers.filter((a) => a.probe.truth !== null);
  const dis = answers.filter((a) => a.probe.truth === null);
  const attempts = [...outcomes.values()].reduce((a, b) => a + b, 0);
  console.log(`\ngallery: ${size} people tried, ${rule.gallery.subjects} enrolled; threshold in force ${rule.threshold.toFixed(4)} (${rule.gallery.entries} gallery entries); ${seconds.toFixed(0)} s`);
  console.log(`  enrollment: accepted ${pct(outcomes.get('enrolled') ?? 0, attempts)}; ` + [...outcomes].map(([k, v]) => `${k} ${v}`).join(', '));
  const line = (label: string, g: Answer[], d: Answer[]) => {
    const rank1 = g.filter((a) => a.top === a.probe.truth).length;
    const hit = g.filter((a) => a.decision === 'match' && a.match === a.probe.truth).length;
    const amb = g.filter((a) => a.decision === 'ambiguous').length;
    const fp = d.filter((a) => a.decision === 'match').length;
    // The empirical threshold for 1 % FPIR on these distractors (ties resolved strictly above).
    const dScores = d.map((a) => a.similarity ?? -1).sort((a, b) => b - a);
    const tau = dScores[Math.floor(0.01 * dScores.length)] ?? Infinity;
    const hitAt = g.filter((a) => a.top === a.probe.truth && (a.similarity ?? -1) > tau).length;
    console.log(`  ${label.padEnd(26)} genuine ${String(g.length).padStart(5)}: rank-1 ${pct(rank1, g.length)}, FNIR ${pct(g.length - hit, g.length)} (ambiguous ${amb}, no face ${g.filter((a) => a.similarity === null).length})` +
      (d.length ? ` | distractors ${d.length}: FPIR ${pct(fp, d.length)} | FNIR at FPIR 1 % ${pct(g.length - hitAt, g.length)} (threshold ${tau.toFixed(4)})` : ''));
  };
  line('all probes', gen, dis);
  line('excluding cfp profiles', gen.filter((a) => !a.probe.profile), dis.filter((a) => !a.probe.profile));
  line('cfp profiles only', gen.filter((a) => a.probe.profile), []);
  const falseMatches = dis.filter((a) => a.decision === 'match').sort((a, b) => (b.similarity ?? 0) - (a.similarity ?? 0));
  if (falseMatches.length) {
    console.log(`  strongest false matches (a photo of someone never enrolled named as someone enrolled):`);
    for (const a of falseMatches.slice(0, 8)) console.log(`    ${a.probe.path.slice(facesRoot.length)} -> ${a.match} (${a.similarity?.toFixed(4)})`);
  }
  const missedRefused = gen.filter((a) => refused.has(a.probe.truth!)).length;
  console.log(`  of the genuine probes, ${missedRefused} belong to people whose enrollment was refused (counted as misses)`);
  for (const set of [...new Set(answers.map((a) => a.probe.set))]) {
    const g = gen.filter((a) => a.probe.set === set);
    const d = dis.filter((a) => a.probe.set === set);
    console.log(`    ${set.padEnd(20)} genuine ${g.length}: FNIR ${pct(g.filter((a) => !(a.decision === 'match' && a.match === a.probe.truth)).length, g.length)}; distractors ${d.length}: FPIR ${pct(d.filter((a) => a.decision === 'match').length, d.length)}`);
  }
}

/** What the calibration says about larger galleries, with this run's genuine scores. */
function predict(cal: OpenSetCalibration, current: number, answers: Answer[]): void {
  // FNIR at a larger gallery's threshold, from this run's genuine scores (a larger gallery also brings more
  // close impostors, which this ignores, so it is a lower bound).
  const fnirAt = (threshold: number, keep: (a: Answer) => boolean) => {
    const genuine = answers.filter((a) => a.probe.truth !== null && keep(a));
    return genuine.filter((a) => !(a.top === a.probe.truth && (a.similarity ?? -1) >= threshold)).length / genuine.length;
  };
  console.log(`\npredicted from the calibration (${cal.measured_at}, ${cal.dataset.split(';')[0]}):`);
  for (const n of [10_000, 100_000, 1_000_000, 10_000_000]) {
    const t = openSetThreshold(cal, 0.01, n);
    const keptCurrent = fpirFromFar(farAt(cal.tail, current), n);
    console.log(`  ${String(n).padStart(8)} faces: threshold ${t.threshold.toFixed(4)} (per-pair FAR ${t.perPairFar.toExponential(1)}) keeps FPIR at 1 %; ` +
      `FNIR there on these probes ≥ ${(100 * fnirAt(t.threshold, (a) => !a.probe.profile)).toFixed(1)} % excluding cfp profiles (${(100 * fnirAt(t.threshold, () => true)).toFixed(1)} % all); ` +
      `today's threshold ${current.toFixed(4)} kept fixed would let ${(100 * keptCurrent).toFixed(1)} % of strangers match`);
  }
}
