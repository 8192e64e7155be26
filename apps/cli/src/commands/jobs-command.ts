import { EXIT, type ExitCode } from '../exit-codes.ts';
import { watchJob } from '../jobs/job-poller.ts';
import { ProgressView } from '../output/progress-view.ts';
import type { CommandContext } from './context.ts';

/** `facerec jobs watch <id>`: a progress bar until the job ends; exit 3 when any item failed. */
export async function runJobsWatch(id: string, ctx: CommandContext): Promise<ExitCode> {
  const { client, printer } = ctx;
  const view = new ProgressView(printer, `job ${id.slice(0, 8)}`, 'items');
  let started = false;
  let job;
  try {
    job = await watchJob(
      client,
      id,
      (j) => {
        const state = { done: j.progress.succeeded + j.progress.failed + j.progress.cancelled, total: j.progress.total, refused: j.progress.failed };
        if (!started) view.start(state, state.done);
        else view.update(state);
        started = true;
      },
      ctx.signal,
    );
  } catch (err) {
    view.stop();
    if ((err as Error).name === 'AbortError') return EXIT.interrupted;
    throw err;
  }
  view.stop();
  const { progress } = job;
  printer.record({ event: 'done', id: job.id, type: job.type, state: job.state, progress, finished_at: job.finished_at });
  printer.line(`${job.type} job ${job.id}: ${job.state}, ${progress.succeeded} succeeded, ${progress.failed} failed, ${progress.cancelled} cancelled of ${progress.total}`);
  return job.state === 'completed' && progress.failed === 0 && progress.cancelled === 0 ? EXIT.ok : EXIT.partial;
}
