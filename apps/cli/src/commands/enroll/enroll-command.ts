import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectData, type EnrollManifestEntry } from '@facerec/client';
import { CliError, EXIT, type ExitCode } from '../../exit-codes.ts';
import { isTerminal, jobItems, watchJob } from '../../jobs/job-poller.ts';
import { ProgressView } from '../../output/progress-view.ts';
import type { CommandContext } from '../context.ts';
import { type ChunkOptions, chunkKey } from './chunk-key.ts';
import { manifestEntry, readOverrides } from './manifest-overrides.ts';
import { type Refusal, reportFormat, writeReport } from './refusal-report.ts';
import { type Photo, scanPhotos } from './scan-photos.ts';

export interface EnrollOptions {
  collection: string;
  chunkSize: number;
  parallel: number;
  report?: string;
  reportFormat?: string;
  manifest?: string;
  allowMultiple: boolean;
  onConflict: 'reject' | 'allow';
}

interface ChunkProgress {
  done: number;
  refused: number;
}

interface Tally {
  enrolled: number;
  alreadyEnrolled: number;
  cancelled: number;
  chunksResumed: number;
  refusals: Map<string, Refusal>;
}

function chunksOf<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const byCode = (refusals: Iterable<Refusal>) => {
  const counts = new Map<string, number>();
  for (const r of refusals) counts.set(r.code, (counts.get(r.code) ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
};

/**
 * `facerec enroll <dir> --collection <c>`: the folder's photos go to POST /v1/jobs/enroll in chunks, each
 * with an Idempotency-Key derived from its content, so an interrupted run resumes when rerun: the service
 * answers completed chunks with their finished job and running ones with the job still in progress, and
 * enrollment items are idempotent on the service, so no face is ever enrolled twice.
 */
export async function runEnroll(dir: string, opts: EnrollOptions, ctx: CommandContext): Promise<ExitCode> {
  const { client, printer } = ctx;
  const photos = scanPhotos(dir);
  const overrides = readOverrides(opts.manifest, photos);
  const reportPath = resolve(opts.report ?? `facerec-enroll-${opts.collection}.refused.jsonl`);
  let format: ReturnType<typeof reportFormat>;
  try {
    format = reportFormat(reportPath, opts.reportFormat);
  } catch (err) {
    throw new CliError(EXIT.usage, (err as Error).message);
  }
  // Fail before uploading anything when the collection is not there.
  expectData(await client.http.GET('/v1/collections/{name}', { params: { path: { name: opts.collection } }, signal: ctx.signal }));

  const chunkOptions: ChunkOptions = { collection: opts.collection, allowMultiple: opts.allowMultiple, onConflict: opts.onConflict };
  const chunks = chunksOf(photos, opts.chunkSize);
  const progress = chunks.map((): ChunkProgress => ({ done: 0, refused: 0 }));
  const tally: Tally = { enrolled: 0, alreadyEnrolled: 0, cancelled: 0, chunksResumed: 0, refusals: new Map() };
  const view = new ProgressView(printer, `enroll ${opts.collection}`);
  const state = () => ({ done: progress.reduce((s, p) => s + p.done, 0), total: photos.length, refused: progress.reduce((s, p) => s + p.refused, 0) });
  let baseline = 0;

  // A failing chunk stops the others; Ctrl-C stops them all.
  const failure = new AbortController();
  const signal = AbortSignal.any([ctx.signal, failure.signal]);

  async function runChunk(index: number, chunk: Photo[]) {
    const files = await Promise.all(chunk.map(async (p) => ({ ref: p.ref, bytes: new Uint8Array(await readFile(p.path)) })));
    const manifest: Record<string, EnrollManifestEntry> = Object.fromEntries(chunk.map((p) => [p.ref, manifestEntry(p, overrides.get(p.ref))]));
    let key = chunkKey(chunkOptions, files, manifest);
    for (;;) {
      const res = await client.submitEnrollJob(
        {
          collection: opts.collection,
          images: files.map((f) => new File([f.bytes], f.ref)),
          manifest,
          allow_multiple: opts.allowMultiple,
          on_conflict: opts.onConflict,
        },
        { idempotencyKey: key, signal },
      );
      if (res.response.status === 429) {
        // The service's queue is full: wait as long as it asks, then send the same chunk again.
        await sleep(Number(res.response.headers.get('retry-after') ?? '1') * 1000, undefined, { signal });
        continue;
      }
      const accepted = expectData(res);
      if (accepted.state === 'cancelled') {
        // Someone cancelled this chunk's job: its unfinished items need a new job, hence a new key.
        key = `facerec-cli-enroll-${createHash('sha256').update(`${key}/${accepted.job_id}`).digest('hex')}`;
        continue;
      }
      const resumed = !accepted.created && isTerminal(accepted.state);
      printer.record({ event: 'chunk', index, files: chunk.length, job_id: accepted.job_id, created: accepted.created, state: accepted.state, resumed });
      let first = true;
      const job = await watchJob(
        client,
        accepted.job_id,
        (j) => {
          const done = j.progress.succeeded + j.progress.failed + j.progress.cancelled;
          if (first && !accepted.created) {
            // Finished before this run began: not part of this run's images/s.
            baseline += done;
            view.setBaseline(baseline);
          }
          first = false;
          progress[index] = { done, refused: j.progress.failed };
          view.update(state());
        },
        signal,
      );
      if (resumed) tally.chunksResumed++;
      for (const item of await jobItems(client, job.id, signal)) {
        const photo = chunk.find((p) => p.ref === item.ref);
        if (item.status === 'succeeded') {
          if ((item.result as { created?: boolean } | undefined)?.created === false) tally.alreadyEnrolled++;
          else tally.enrolled++;
        } else if (item.status === 'failed') {
          tally.refusals.set(item.ref, {
            file: item.ref,
            path: photo ? resolve(photo.path) : '',
            subject_id: photo?.subjectId ?? '',
            code: item.error?.code ?? 'unknown',
            message: item.error?.message ?? '',
            details: item.error?.details ?? null,
          });
        } else tally.cancelled++;
      }
      return;
    }
  }

  const startedAt = performance.now();
  view.start(state());
  let next = 0;
  const worker = async () => {
    try {
      while (!signal.aborted && next < chunks.length) {
        const index = next++;
        await runChunk(index, chunks[index]!);
      }
    } catch (err) {
      failure.abort();
      throw err;
    }
  };
  const outcome = await Promise.allSettled(Array.from({ length: Math.min(opts.parallel, chunks.length) }, worker));
  view.stop();
  const seconds = (performance.now() - startedAt) / 1000;
  writeReport(reportPath, format, tally.refusals.values());

  const failed = outcome.find((o): o is PromiseRejectedResult => o.status === 'rejected' && (o.reason as Error)?.name !== 'AbortError');
  if (ctx.signal.aborted && !failed) {
    const { done, total } = state();
    printer.record({ event: 'interrupted', done, total, refused_so_far: tally.refusals.size, report: reportPath });
    printer.note(
      `interrupted at ${done}/${total} photos. Rerun the same command to resume: finished chunks are skipped, and jobs already submitted keep running on the service and are picked up again.`,
    );
    return EXIT.interrupted;
  }
  if (failed) throw failed.reason;

  const processed = photos.length - baseline;
  const summary = {
    event: 'summary',
    collection: opts.collection,
    photos: photos.length,
    enrolled: tally.enrolled,
    already_enrolled: tally.alreadyEnrolled,
    refused: tally.refusals.size,
    refused_by_code: byCode(tally.refusals.values()),
    cancelled: tally.cancelled,
    chunks: chunks.length,
    chunks_resumed: tally.chunksResumed,
    seconds: Number(seconds.toFixed(1)),
    images_per_second: Number((processed / seconds).toFixed(1)),
    report: reportPath,
  };
  printer.record(summary);
  const codes = Object.entries(summary.refused_by_code).map(([c, n]) => `${c} ${n}`).join(', ');
  printer.line(
    `${photos.length} photos: ${tally.enrolled} enrolled, ${tally.alreadyEnrolled} found already enrolled, ${tally.refusals.size} refused${codes ? ` (${codes})` : ''}` +
      `${tally.cancelled ? `, ${tally.cancelled} cancelled` : ''}; ${chunks.length} chunks (${tally.chunksResumed} already done) in ${summary.seconds} s`,
  );
  printer.line(`refused photos: ${reportPath}`);
  return tally.refusals.size > 0 || tally.cancelled > 0 ? EXIT.partial : EXIT.ok;
}
