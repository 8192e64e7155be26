/**
 * `npm run bench:migrate`: how fast a collection moves to another embedder and travels as JSON Lines, on
 * one service process (embedded mode, `npm start` defaults), against the baseline of enrolling the same
 * photos in the same run.
 *
 * Photos: the first --faces labelled photos of facescrub and cfp, enrolled with one batch job (the baseline:
 * detection + alignment + embedding per image). Then, on that collection:
 * - migration to --to (default arcface-mobilenet-128): POST …/migrations until ready (re-embedding every
 *   stored crop, the catch-up pass and the self-consistency report), then the commit;
 * - export with crops (GET …/export?crops=true), import with the same model (vectors kept), import with
 *   the crops re-embedded by the other model.
 * Prints faces/s for each and the ratio to the enrollment baseline. Asserts nothing.
 *
 * Flags: --faces 600  --to arcface-mobilenet-128
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from './bench-setup.ts';
import { listIdentityImages } from './image-files.ts';
import { startProc } from './queue-procs.ts';

const { flags } = parseCli(process.argv.slice(2));
const FACES = flags.has('faces') ? Number(flags.get('faces')) : 600;
const TO = String(flags.get('to') ?? 'arcface-mobilenet-128');
const facesRoot = fileURLToPath(new URL('../../../../shared/faces/', import.meta.url));
const SETS = ['facescrub', 'cfp'];

const log = (msg: string) => process.stderr.write(`[migrate] ${msg}\n`);
type Json = Record<string, any>;

async function call(method: string, url: string, body?: object, expect = [200]): Promise<Json> {
  const res = await fetch(url, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
  const json = (await res.json()) as Json;
  if (!expect.includes(res.status)) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function poll(url: string, done: (j: Json) => boolean): Promise<Json> {
  for (;;) {
    const j = await call('GET', url);
    if (done(j)) return j;
    await new Promise((r) => setTimeout(r, 100)); // a benchmark poll; the tests wait on answers instead
  }
}

async function main() {
  const photos: Array<{ ref: string; subject: string; bytes: Buffer }> = [];
  for (const set of SETS) {
    for (const { identity, path } of await listIdentityImages(join(facesRoot, set))) {
      if (photos.length >= FACES) break;
      photos.push({ ref: relative(facesRoot, path).replaceAll('/', '_'), subject: `${set}/${identity}`, bytes: readFileSync(path) });
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-migrate-'));
  const svc = await startProc('apps/gateway/src/main.ts', { DATA_DIR: dataDir, LOG_LEVEL: 'info' }, { listening: true, models: true });
  const base = svc.url;
  try {
    await call('POST', `${base}/v1/collections`, { name: 'gallery' }, [201]);
    const form = new FormData();
    for (const p of photos) form.append('images', new Blob([p.bytes]), p.ref);
    form.append('manifest', JSON.stringify(Object.fromEntries(photos.map((p) => [p.ref, p.subject]))));
    form.append('collection', 'gallery');
    form.append('on_conflict', 'allow');
    const t0 = performance.now();
    const res = await fetch(`${base}/v1/jobs/enroll`, { method: 'POST', body: form });
    const accepted = (await res.json()) as Json;
    if (res.status !== 202) throw new Error(`enroll → ${res.status} ${JSON.stringify(accepted)}`);
    const job = await poll(`${base}/v1/jobs/${accepted.job_id}?limit=1`, (j) => ['completed', 'failed', 'cancelled'].includes(j.state));
    const enrollS = (performance.now() - t0) / 1000;
    const enrolled = job.progress.succeeded as number;
    const enrollRate = photos.length / enrollS;
    log(`baseline: ${photos.length} photos enrolled by one batch job (${enrolled} faces) in ${enrollS.toFixed(1)} s`);

    const t1 = performance.now();
    const started = await call('POST', `${base}/v1/collections/gallery/migrations`, { embedder: TO }, [202]);
    const id = started.migration.id as string;
    const ready = await poll(`${base}/v1/collections/gallery/migrations/${id}`, (j) => j.migration.state !== 'running');
    const readyS = (performance.now() - t1) / 1000;
    const t2 = performance.now();
    await call('POST', `${base}/v1/collections/gallery/migrations/${id}/commit`, {});
    const commitS = (performance.now() - t2) / 1000;
    const report = ready.migration.report as Json;
    const migrateRate = report.migrated / readyS;

    const t3 = performance.now();
    const exported = await (await fetch(`${base}/v1/collections/gallery/export?crops=true`)).text();
    const exportS = (performance.now() - t3) / 1000;
    const lines = exported.split('\n').filter((l) => l.includes('"type":"face"')).length;
    const importAs = async (query: string) => {
      const t = performance.now();
      const r = await fetch(`${base}/v1/collections/import?${query}`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: exported });
      const body = (await r.json()) as Json;
      if (r.status !== 201) throw new Error(`import → ${r.status} ${JSON.stringify(body)}`);
      return (performance.now() - t) / 1000;
    };
    const importS = await importAs('name=copy');
    const reembedS = await importAs('name=back&embedder=mobilefacenet');

    const sc = report.self_consistency as Json;
    console.log(`\nbench:migrate: ${photos.length} photos of ${SETS.join(' + ')}, ${enrolled} faces enrolled, embedded mode`);
    console.log(`  baseline enroll job       ${enrollS.toFixed(1)} s   ${enrollRate.toFixed(1)} photos/s (detect + align + embed)`);
    console.log(`  migrate → ${TO}  ${readyS.toFixed(1)} s to ready   ${migrateRate.toFixed(1)} faces/s   ratio to enroll ${(migrateRate / enrollRate).toFixed(2)}`);
    console.log(`    report                  migrated ${report.migrated}, failed ${report.failed}; self-consistency ${sc.consistent}/${sc.faces} faces of ${sc.subjects} subjects (${sc.rate}) at ${sc.threshold} (FAR ${sc.far}); before ${sc.before.consistent} (${sc.before.rate})`);
    console.log(`    commit                  ${commitS.toFixed(2)} s`);
    console.log(`  export (crops=true)       ${exportS.toFixed(2)} s   ${(lines / exportS).toFixed(0)} faces/s   ${(exported.length / 2 ** 20 / exportS).toFixed(1)} MiB/s (${(exported.length / 2 ** 20).toFixed(1)} MiB)`);
    console.log(`  import, same model        ${importS.toFixed(2)} s   ${(lines / importS).toFixed(0)} faces/s`);
    console.log(`  import, crops re-embedded ${reembedS.toFixed(2)} s   ${(lines / reembedS).toFixed(1)} faces/s   ratio to enroll ${(lines / reembedS / enrollRate).toFixed(2)}`);
  } finally {
    await svc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
