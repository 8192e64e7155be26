import { setTimeout as sleep } from 'node:timers/promises';
import { expectData, type FacerecClient, type Schemas } from '@facerec/client';

export type JobSummary = Schemas['JobSummary'];
export type JobItem = Schemas['JobPage']['items'][number];

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
export const isTerminal = (state: string) => TERMINAL.has(state);

/** How often a running job is asked for its progress: the API has no push channel for clients but webhooks. */
export const POLL_MS = 250;

/** Asks GET /v1/jobs/{id} until the job is terminal, reporting each answer; aborts with `signal`. */
export async function watchJob(client: FacerecClient, id: string, onProgress: (job: JobSummary) => void, signal?: AbortSignal): Promise<JobSummary> {
  for (;;) {
    const job = expectData(await client.http.GET('/v1/jobs/{id}', { params: { path: { id }, query: { limit: 1 } }, signal }));
    onProgress(job);
    if (isTerminal(job.state)) return job;
    await sleep(POLL_MS, undefined, { signal });
  }
}

/** Every item of a job, following next_cursor in pages of 1,000. */
export async function jobItems(client: FacerecClient, id: string, signal?: AbortSignal): Promise<JobItem[]> {
  const items: JobItem[] = [];
  let cursor: string | undefined;
  do {
    const page = expectData(await client.http.GET('/v1/jobs/{id}', { params: { path: { id }, query: { limit: 1000, ...(cursor ? { cursor } : {}) } }, signal }));
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return items;
}
