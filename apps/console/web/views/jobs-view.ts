import { client, describeError, expectData } from '../api.ts';
import { h } from '../dom.ts';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** A batch job's progress, asked of GET /v1/jobs/{id} every half second until it ends, and its failed items. */
export function jobsView(initialId?: string): HTMLElement {
  const input = h('input', { placeholder: 'job id', size: 40, value: initialId ?? '', 'data-testid': 'job-id' });
  const out = h('div', { 'data-testid': 'job-progress' });
  let watching = 0;

  async function watch(id: string) {
    const run = ++watching;
    const bar = h('progress', { max: 1, value: 0 });
    const line = h('p', { 'data-testid': 'job-state' });
    const failures = h('div', {});
    out.replaceChildren(bar, line, failures);
    for (let first = true; ; first = false) {
      // Stop when another job is watched or the view was left (not yet attached on the first round).
      if (run !== watching || (!first && !out.isConnected)) return;
      try {
        const job = expectData(await client().http.GET('/v1/jobs/{id}', { params: { path: { id }, query: { limit: 1 } } }));
        const p = job.progress;
        const done = p.succeeded + p.failed + p.cancelled;
        bar.max = p.total;
        bar.value = done;
        line.textContent = `${job.type} job: ${job.state}, ${done}/${p.total} done (${p.succeeded} succeeded, ${p.failed} failed, ${p.cancelled} cancelled)`;
        if (TERMINAL.has(job.state)) {
          if (p.failed > 0) await showFailures(id, failures);
          return;
        }
      } catch (err) {
        line.textContent = describeError(err);
        return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async function showFailures(id: string, into: HTMLElement) {
    const page = expectData(await client().http.GET('/v1/jobs/{id}', { params: { path: { id }, query: { limit: 1000 } } }));
    const failed = page.items.filter((i) => i.status === 'failed');
    into.replaceChildren(
      h('h3', {}, `Failed items${page.next_cursor ? ' (first 1,000 items)' : ''}`),
      h('table', {}, h('tbody', {}, ...failed.map((i) => h('tr', {}, h('td', {}, i.ref), h('td', {}, i.error?.code ?? ''), h('td', {}, i.error?.message ?? ''))))),
    );
  }

  if (initialId) void watch(initialId);
  return h('section', {},
    h('div', { class: 'card' },
      h('h2', {}, 'Watch a batch job'),
      h('form', { onsubmit: (e) => { e.preventDefault(); location.hash = `#jobs/${encodeURIComponent(input.value.trim())}`; } }, input, ' ', h('button', { type: 'submit' }, 'Watch')),
      h('p', { class: 'muted' }, 'Job ids come from POST /v1/jobs/extract or /v1/jobs/enroll (and from `facerec enroll --json`).'),
      out,
    ),
  );
}
