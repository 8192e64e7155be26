import { client, describeError, expectData, FacerecApiError, hasApiKey, setApiKey } from './api.ts';
import { h } from './dom.ts';
import { collectionsView } from './views/collections-view.ts';
import { compareView } from './views/compare-view.ts';
import { identifyView } from './views/identify-view.ts';
import { jobsView } from './views/jobs-view.ts';

const view = document.getElementById('view')!;
const status = document.getElementById('service-status')!;

/** With API_KEYS set on the service every API call needs a key: ask for it, keep it for this tab only. */
function keyForm(message: string): HTMLElement {
  const input = h('input', { type: 'password', placeholder: 'API key', size: 40, 'data-testid': 'api-key' });
  return h('div', { class: 'card' },
    h('h2', {}, 'API key'),
    h('p', {}, message),
    h('form', { onsubmit: (e) => { e.preventDefault(); setApiKey(input.value.trim()); void route(); } }, input, ' ', h('button', { type: 'submit' }, 'Use key')),
  );
}

async function route() {
  try {
    expectData(await client().http.GET('/v1/collections'));
  } catch (err) {
    if (err instanceof FacerecApiError && err.status === 401) {
      view.replaceChildren(keyForm(hasApiKey() ? `The key was refused: ${err.message}` : 'This service needs an API key.'));
      return;
    }
    view.replaceChildren(h('p', { class: 'error' }, describeError(err)));
    return;
  }
  const [tab = 'identify', arg] = location.hash.replace(/^#/, '').split('/');
  for (const a of document.querySelectorAll<HTMLAnchorElement>('#tabs a')) a.classList.toggle('active', a.dataset.tab === tab);
  const render = { identify: identifyView, compare: compareView, collections: collectionsView, jobs: () => jobsView(arg ? decodeURIComponent(arg) : undefined) }[tab] ?? identifyView;
  view.replaceChildren(render());
}

window.addEventListener('hashchange', () => void route());
void client()
  .http.GET('/health')
  .then(({ data, error }) => {
    const health = data ?? (error as { status?: string } | undefined);
    status.textContent = data ? `${data.model.detector} + ${data.model.embedder} · ${data.mode} · v${data.version}` : `service ${health?.status ?? 'unavailable'}`;
  });
void route();
