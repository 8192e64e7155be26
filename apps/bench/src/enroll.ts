/**
 * `npm run bench:enroll`: batch enrollment of thousands of real photos through POST /v1/jobs/enroll, against
 * the baseline of enrolling the same photos one HTTP call at a time (POST /v1/collections/{c}/faces), in one
 * run on the same service process (embedded mode, `npm start` defaults).
 *
 * Photos: every labelled JPEG/PNG in ../shared/faces, subject = "<set>/<identity>". To reach --images, each
 * photo is also sent mirrored and re-encoded (sharp), which makes a distinct image of the same person.
 * Prints: upload time and size, job time, enrollments/s, outcomes by code, the gateway's peak RSS, and the
 * ratio to the sequential baseline. Asserts nothing.
 *
 * Flags: --images 3000  --baseline 200 (photos enrolled one call at a time)  --concurrency <ENROLL_CONCURRENCY>
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import { parseCli } from './bench-setup.ts';
import { listIdentityImages } from './image-files.ts';
import { startProc } from './queue-procs.ts';

const { flags } = parseCli(process.argv.slice(2));
const num = (name: string, dflt: number) => (flags.has(name) ? Number(flags.get(name)) : dflt);
const IMAGES = num('images', 3000);
const BASELINE = num('baseline', 200);
const facesRoot = fileURLToPath(new URL('../../../../shared/faces/', import.meta.url));
// att_orl is PGM, a format the service refuses (unsupported_format) by design.
const SETS = ['facescrub', 'krasserm_lfw10', 'deepface_tests', 'faceapijs_bbt', 'ageitgey_fr', 'openface_examples'];

interface Item {
  ref: string;
  subject: string;
  bytes: Buffer;
}

const log = (msg: string) => process.stderr.write(`[enroll] ${msg}\n`);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** Originals first, then mirrored, mirrored + resized, and resized copies, until `n` images. */
async function buildItems(n: number): Promise<Item[]> {
  const originals: Item[] = [];
  for (const set of SETS) {
    for (const { identity, path } of await listIdentityImages(join(facesRoot, set))) {
      const name = relative(facesRoot, path).replaceAll('/', '_');
      originals.push({ ref: name, subject: `${set}/${identity}`, bytes: readFileSync(path) });
    }
  }
  const out = originals.slice(0, n);
  const variants: Array<(img: Sharp) => Sharp> = [
    (img) => img.flop(),
    (img) => img.flop().resize({ width: 200, withoutEnlargement: true }),
    (img) => img.resize({ width: 180, withoutEnlargement: true }),
  ];
  for (let v = 0; out.length < n && v < variants.length; v++) {
    for (const o of originals) {
      if (out.length >= n) break;
      const bytes = await variants[v]!(sharp(o.bytes)).jpeg({ quality: 92 }).toBuffer();
      out.push({ ref: `v${v + 1}_${o.ref.replace(/\.\w+$/, '')}.jpg`, subject: o.subject, bytes });
    }
  }
  if (out.length < n) log(`only ${out.length} distinct images available`);
  return out;
}

async function postJson(url: string, body: object) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`${url} → ${res.status} ${await res.text()}`);
}

/** VmHWM is the peak resident set since the process started; VmRSS the current one. */
function rssMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
}

async function main() {
  const items = await buildItems(IMAGES);
  const totalBytes = items.reduce((s, i) => s + i.bytes.length, 0);
  log(`${items.length} images, ${mib(totalBytes)} MiB, ${new Set(items.map((i) => i.subject)).size} subjects`);

  const dataDir = mkdtempSync(join(tmpdir(), 'bench-enroll-'));
  const env: Record<string, string> = { DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  if (flags.has('concurrency')) env['ENROLL_CONCURRENCY'] = String(flags.get('concurrency'));
  const svc = await startProc('apps/gateway/src/main.ts', { ...env, LOG_LEVEL: 'info' }, { listening: true, models: true });
  try {
    await postJson(`${svc.url}/v1/collections`, { name: 'baseline' });
    await postJson(`${svc.url}/v1/collections`, { name: 'batch' });

    // Baseline: the same kind of photos, one enrollment call at a time, as a client loop would.
    const base = items.slice(0, BASELINE);
    const tb = performance.now();
    for (const item of base) {
      const form = new FormData();
      form.append('image', new Blob([item.bytes]), item.ref);
      form.append('subject_id', item.subject);
      const res = await fetch(`${svc.url}/v1/collections/baseline/faces`, { method: 'POST', body: form });
      await res.arrayBuffer();
    }
    const baselinePerSec = base.length / ((performance.now() - tb) / 1000);
    log(`baseline: ${base.length} single enrollments, ${baselinePerSec.toFixed(1)}/s`);

    const before = rssMiB(svc.child.pid!, 'VmHWM');
    const form = new FormData();
    for (const item of items) form.append('images', new Blob([item.bytes]), item.ref);
    form.append('manifest', JSON.stringify(Object.fromEntries(items.map((i) => [i.ref, i.subject]))));
    form.append('collection', 'batch');
    const t0 = performance.now();
    const res = await fetch(`${svc.url}/v1/jobs/enroll`, { method: 'POST', body: form });
    const accepted = (await res.json()) as { job_id?: string };
    const uploadS = (performance.now() - t0) / 1000;
    if (res.status !== 202 || !accepted.job_id) throw new Error(`submit → ${res.status} ${JSON.stringify(accepted)}`);
    log(`accepted in ${uploadS.toFixed(2)} s`);

    let job: { state: string; progress: { total: number; succeeded: number; failed: number } };
    for (;;) {
      job = (await (await fetch(`${svc.url}/v1/jobs/${accepted.job_id}?limit=1`)).json()) as typeof job;
      if (['completed', 'failed', 'cancelled'].includes(job.state)) break;
      await new Promise((r) => setTimeout(r, 250)); // a benchmark poll; the tests wait on answers instead
    }
    const jobS = (performance.now() - t0) / 1000;

    const codes = new Map<string, number>();
    let cursor: string | null = null;
    do {
      const page = (await (await fetch(`${svc.url}/v1/jobs/${accepted.job_id}?limit=1000${cursor ? `&cursor=${cursor}` : ''}`)).json()) as {
        items: Array<{ status: string; error?: { code: string } }>;
        next_cursor: string | null;
      };
      for (const it of page.items) {
        const key = it.status === 'succeeded' ? 'enrolled' : (it.error?.code ?? it.status);
        codes.set(key, (codes.get(key) ?? 0) + 1);
      }
      cursor = page.next_cursor;
    } while (cursor);
    const batchPerSec = items.length / jobS;
    const peak = rssMiB(svc.child.pid!, 'VmHWM');

    console.log(`\nbench:enroll: ${items.length} images (${mib(totalBytes)} MiB) in one POST /v1/jobs/enroll, embedded mode`);
    console.log(`  upload + accept        ${uploadS.toFixed(2)} s`);
    console.log(`  job done after         ${jobS.toFixed(1)} s  (${batchPerSec.toFixed(1)} images/s)`);
    console.log(`  outcomes               ${[...codes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`  service peak RSS       ${before.toFixed(0)} MiB before the job (models loaded, baseline run) → ${peak.toFixed(0)} MiB`);
    console.log(`  baseline               ${baselinePerSec.toFixed(1)} images/s (${base.length} single POST /v1/collections/baseline/faces, one at a time)`);
    console.log(`  ratio batch/baseline   ${(batchPerSec / baselinePerSec).toFixed(2)}`);
  } finally {
    await svc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
