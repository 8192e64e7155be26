/**
 * The `facerec` CLI end to end: the real CLI process (the bin npm links, as `npx facerec` runs it) against
 * the real service process, on real photos. The enrollment of CLI_RESUME_PHOTOS photos of cfp (200 here,
 * 1,000 for the figures in the README: `CLI_RESUME_PHOTOS=1000 npx vitest run test/cli.test.ts`) is
 * interrupted with SIGINT once its own progress passes half, then rerun; what the service holds afterwards
 * is checked against the photos themselves, not against what the CLI says.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacerecClient, expectData, type FacerecClient } from '@facerec/client';
import { type ChildService, startChildService } from './support/child-service.ts';
import { type CliRun, jsonLines, runCli } from './support/cli-process.ts';
import { facesRoot, identities, photos } from './support/shared-faces.ts';

const PHOTOS = Number(process.env.CLI_RESUME_PHOTOS ?? 200);
const CHUNK = Math.max(10, Math.round(PHOTOS / 20));
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The first `n` photos of cfp (subjects, then files, by name) as a `<subject>/<file>` tree of symlinks. */
function photoTree(root: string, n: number): { ref: string; subject: string; path: string }[] {
  const picked: { ref: string; subject: string; path: string }[] = [];
  for (const subject of identities('cfp')) {
    const files = readdirSync(join(facesRoot, 'cfp', subject)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
    for (const file of files) {
      if (picked.length === n) return picked;
      mkdirSync(join(root, subject), { recursive: true });
      const path = join(facesRoot, 'cfp', subject, file);
      symlinkSync(path, join(root, subject, file));
      picked.push({ ref: `${subject}/${file}`, subject, path });
    }
  }
  if (picked.length < n) throw new Error(`cfp holds fewer than ${n} photos`);
  return picked;
}

describe('facerec CLI', () => {
  let svc: ChildService;
  let work: string;
  let api: FacerecClient;
  const cli = (args: string[], onLine?: (line: string, run: CliRun) => void) => runCli(['--url', svc.url, ...args], { onLine });

  beforeAll(async () => {
    svc = await startChildService();
    api = createFacerecClient({ baseUrl: svc.url });
    work = mkdtempSync(join(tmpdir(), 'facerec-cli-'));
  });
  afterAll(async () => {
    await svc?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it(`enrolls ${PHOTOS} photos, survives SIGINT halfway, and a rerun finishes without enrolling anything twice`, async () => {
    const dir = join(work, 'photos');
    const tree = photoTree(dir, PHOTOS);
    const report = join(work, 'refused.jsonl');
    expect((await cli(['collections', 'create', 'resume']).exited)).toBe(0);
    const args = ['--json', 'enroll', dir, '--collection', 'resume', '--report', report, '--chunk-size', String(CHUNK)];

    // First run: interrupted once its own progress events pass half of the photos.
    let interruptedAt = -1;
    const t0 = performance.now();
    const first = cli(args, (line, run) => {
      const event = JSON.parse(line) as { event: string; done: number };
      if (event.event === 'progress' && event.done >= PHOTOS / 2 && interruptedAt < 0) {
        interruptedAt = event.done;
        run.child.kill('SIGINT');
      }
    });
    expect(await first.exited, first.stderr.join('\n')).toBe(130);
    const firstSeconds = (performance.now() - t0) / 1000;
    expect(interruptedAt).toBeGreaterThanOrEqual(PHOTOS / 2);
    const stop = jsonLines(first).find((e) => e.event === 'interrupted')!;
    expect(stop.done).toBeLessThan(PHOTOS);
    expect(first.stderr.join('\n')).toContain('Rerun the same command to resume');
    const between = expectData(await api.http.GET('/v1/collections/{name}', { params: { path: { name: 'resume' } } }));
    expect(between.face_count).toBeLessThan(PHOTOS);

    // Second run: the same command finishes the job.
    const second = cli(args);
    const code = await second.exited;
    const events = jsonLines(second);
    const summary = events.find((e) => e.event === 'summary')!;
    expect(summary, second.stderr.join('\n')).toBeDefined();
    expect(code).toBe(summary.refused > 0 ? 3 : 0);
    expect(summary.photos).toBe(PHOTOS);
    expect(summary.enrolled + summary.already_enrolled + summary.refused + summary.cancelled).toBe(PHOTOS);
    expect(summary.cancelled).toBe(0);
    // Chunks finished before the interrupt were answered with their old jobs, not run again.
    const chunks = events.filter((e) => e.event === 'chunk');
    expect(chunks).toHaveLength(Math.ceil(PHOTOS / CHUNK));
    expect(summary.chunks_resumed).toBeGreaterThanOrEqual(Math.floor(PHOTOS / 2 / CHUNK) - 2);
    expect(chunks.filter((c) => !c.created).length).toBeGreaterThanOrEqual(summary.chunks_resumed);

    // What the service holds, from its own API: each subject's faces, by the sha256 of their source image.
    const enrolled = new Map<string, string[]>();
    for (const subject of new Set(tree.map((p) => p.subject))) {
      const res = await api.http.GET('/v1/collections/{name}/subjects/{subject_id}', { params: { path: { name: 'resume', subject_id: subject } } });
      enrolled.set(subject, res.response.status === 404 ? [] : expectData(res).faces.map((f) => f.sha256));
    }
    const accepted = tree.filter((p) => enrolled.get(p.subject)!.includes(sha256(p.path)));
    const distinctAccepted = new Set(accepted.map((p) => `${p.subject}/${sha256(p.path)}`));
    const col = expectData(await api.http.GET('/v1/collections/{name}', { params: { path: { name: 'resume' } } }));
    // Nothing enrolled twice: one face per distinct accepted photo, no repeated image under a subject.
    expect(col.face_count).toBe(distinctAccepted.size);
    for (const [subject, shas] of enrolled) expect(new Set(shas).size, subject).toBe(shas.length);
    expect(accepted.length).toBe(summary.enrolled + summary.already_enrolled);

    // The report: every photo the service did not take, exactly once, with a reason code.
    const rows = readFileSync(report, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
    const refusedRefs = rows.map((r) => r.file as string);
    expect(new Set(refusedRefs).size).toBe(refusedRefs.length);
    const acceptedRefs = new Set(accepted.map((p) => p.ref));
    expect(refusedRefs.sort()).toEqual(tree.filter((p) => !acceptedRefs.has(p.ref)).map((p) => p.ref).sort());
    expect(rows.length).toBe(summary.refused);
    for (const row of rows) {
      expect(row.code).toMatch(/^[a-z_]+$/);
      expect(row.subject_id).toBe(row.file.split('/')[0]);
      if (row.code === 'low_quality') expect(row.details.reasons.length).toBeGreaterThan(0);
      if (row.code === 'subject_conflict') expect(typeof row.details.subject_id).toBe('string');
    }
    console.log(
      `cli resume: ${PHOTOS} photos, first run interrupted at ${interruptedAt} after ${firstSeconds.toFixed(1)} s (${stop.done} done when it stopped, ${between.face_count} faces enrolled), ` +
        `second run ${summary.seconds} s at ${summary.images_per_second} images/s, ` +
        `${summary.chunks_resumed}/${chunks.length} chunks already done; ${accepted.length} enrolled, ${rows.length} refused ${JSON.stringify(summary.refused_by_code)}`,
    );
  });

  it('identifies every face, compares two photos, watches a job, and manages collections', async () => {
    const group = join(facesRoot, 'faceapijs_bbt_group', 'bbt1.jpg');
    const people = identities('krasserm_lfw10');
    const [a1, a2] = photos('krasserm_lfw10', people[0]!);
    const b1 = photos('krasserm_lfw10', people[1]!)[0]!;

    expect(await cli(['collections', 'create', 'cli', '--target-fpir', '0.001', '--target-far', '1e-3']).exited).toBe(0);
    expectData(await api.enrollFace('cli', { image: new File([readFileSync(a1!)], 'a1.jpg'), subject_id: people[0]! }));

    const ls = cli(['--json', 'collections', 'ls']);
    expect(await ls.exited).toBe(0);
    expect(jsonLines(ls)[0]!.collections.find((c: { name: string }) => c.name === 'cli')).toMatchObject({ target_fpir: 0.001, face_count: 1 });

    const known = cli(['--json', 'identify', a2!, group, '--collection', 'cli']);
    expect(await known.exited, known.stderr.join('\n')).toBe(0);
    const [probe, crowd] = jsonLines(known);
    expect(probe!.faces[0]).toMatchObject({ decision: 'match', top: { subject_id: people[0] } });
    expect(crowd!.faces.length).toBeGreaterThan(1);
    const text = cli(['identify', a2!, '--collection', 'cli']);
    expect(await text.exited).toBe(0);
    expect(text.stdout.join('\n')).toMatch(new RegExp(`match\\s+${people[0]}\\s+similarity 0\\.\\d{3}\\s+margin`));

    const same = cli(['--json', 'compare', a1!, a2!]);
    const other = cli(['--json', 'compare', a1!, b1]);
    expect([await same.exited, await other.exited]).toEqual([0, 0]);
    expect(jsonLines(same)[0]).toMatchObject({ is_same_person: true });
    expect(jsonLines(other)[0]).toMatchObject({ is_same_person: false });

    const job = expectData(await api.submitExtractJob({ images: [a1!, b1, group].map((p, i) => new File([readFileSync(p)], `${i}.jpg`)) }));
    const watch = cli(['--json', 'jobs', 'watch', job.job_id]);
    expect(await watch.exited).toBe(0);
    expect(jsonLines(watch).at(-1)).toMatchObject({ event: 'done', state: 'completed', progress: { total: 3, succeeded: 3 } });

    // Exit codes: service error 2, partial 3 (one image of two has no face), usage 1, unreachable 4.
    const missing = cli(['identify', a2!, '--collection', 'nope']);
    expect(await missing.exited).toBe(2);
    expect(missing.stderr.join('\n')).toContain('collection_not_found');
    const noFace = join(work, 'blank.png');
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } }).png().toFile(noFace);
    expect(await cli(['identify', a2!, noFace, '--collection', 'cli']).exited).toBe(3);
    expect(await cli(['identify', '--collection', 'cli']).exited).toBe(1);
    expect(await cli(['collections', 'rm', 'cli']).exited).toBe(1);
    expect(await runCli(['--url', 'http://127.0.0.1:9', 'collections', 'ls']).exited).toBe(4);

    expect(await cli(['collections', 'rm', 'cli', '--yes']).exited).toBe(0);
    expect((await api.http.GET('/v1/collections/{name}', { params: { path: { name: 'cli' } } })).response.status).toBe(404);

    const help = runCli(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.stdout.join('\n')).toMatch(/Exit codes:[\s\S]*4\s+the service is unreachable/);
  });
});
