import { client, describeError, expectData } from '../api.ts';
import { fixed, h } from '../dom.ts';

const table = (head: string[], rows: HTMLElement[]) =>
  h('table', {}, h('thead', {}, h('tr', {}, ...head.map((t) => h('th', {}, t)))), h('tbody', {}, ...rows));

/** Collections with their counts; a collection's subjects (paged); a subject's faces. */
export function collectionsView(): HTMLElement {
  const list = h('div', { 'data-testid': 'collections-list' });
  const detail = h('div', { 'data-testid': 'collection-detail' });
  const name = h('input', { placeholder: 'new collection name', 'data-testid': 'new-collection' });
  const createStatus = h('span', { class: 'muted' });

  async function load() {
    try {
      const { collections } = expectData(await client().http.GET('/v1/collections'));
      list.replaceChildren(
        collections.length === 0
          ? h('p', { class: 'muted' }, 'No collections yet.')
          : table(
              ['name', 'subjects', 'faces', 'threshold', 'embedder', 'created'],
              collections.map((c) =>
                h('tr', { class: 'clickable', 'data-testid': 'collection-row', onclick: () => void showSubjects(c.name) },
                  h('td', {}, c.name), h('td', {}, c.subject_count ?? '–'), h('td', {}, c.face_count ?? '–'),
                  h('td', {}, fixed(c.threshold)), h('td', {}, c.embedder), h('td', {}, c.created_at)),
              ),
            ),
      );
    } catch (err) {
      list.replaceChildren(h('p', { class: 'error' }, describeError(err)));
    }
  }

  async function showSubjects(collection: string, cursor?: string, rows: HTMLElement[] = []) {
    try {
      const page = expectData(await client().http.GET('/v1/collections/{name}/subjects', { params: { path: { name: collection }, query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
      rows.push(
        ...page.subjects.map((s) =>
          h('tr', { class: 'clickable', 'data-testid': 'subject-row', onclick: () => void showSubject(collection, s.subject_id) },
            h('td', {}, s.subject_id), h('td', {}, s.face_count), h('td', {}, s.metadata ? JSON.stringify(s.metadata) : ''), h('td', {}, s.created_at)),
        ),
      );
      const more = page.next_cursor ? h('button', { onclick: () => void showSubjects(collection, page.next_cursor!, rows) }, 'Load more') : null;
      detail.replaceChildren(h('h3', {}, `Subjects of ${collection}`), table(['subject', 'faces', 'metadata', 'created'], rows), more ?? '');
    } catch (err) {
      detail.replaceChildren(h('p', { class: 'error' }, describeError(err)));
    }
  }

  async function showSubject(collection: string, subjectId: string) {
    try {
      const s = expectData(await client().http.GET('/v1/collections/{name}/subjects/{subject_id}', { params: { path: { name: collection, subject_id: subjectId } } }));
      detail.replaceChildren(
        h('h3', {}, `${s.subject_id} in ${collection}`),
        h('button', { onclick: () => void showSubjects(collection) }, '← subjects'),
        h('p', { class: 'muted' }, s.metadata ? JSON.stringify(s.metadata) : 'no metadata'),
        table(['face', 'quality', 'box', 'image sha256', 'enrolled'], s.faces.map((f) =>
          h('tr', { 'data-testid': 'face-entry' },
            h('td', {}, f.face_id), h('td', {}, f.quality.passed ? 'ok' : f.quality.reasons.join(', ')),
            h('td', {}, `${Math.round(f.box.width)}×${Math.round(f.box.height)} at ${Math.round(f.box.x)},${Math.round(f.box.y)}`),
            h('td', {}, f.sha256.slice(0, 12)), h('td', {}, f.created_at)),
        )),
      );
    } catch (err) {
      detail.replaceChildren(h('p', { class: 'error' }, describeError(err)));
    }
  }

  async function create(e: Event) {
    e.preventDefault();
    try {
      const c = expectData(await client().http.POST('/v1/collections', { body: { name: name.value } }));
      createStatus.textContent = `created ${c.name}`;
      name.value = '';
      await load();
    } catch (err) {
      createStatus.textContent = describeError(err);
    }
  }

  void load();
  return h('section', {},
    h('div', { class: 'card' }, h('h2', {}, 'Collections'), list, h('form', { onsubmit: (e) => void create(e) }, name, ' ', h('button', { type: 'submit' }, 'Create'), ' ', createStatus)),
    h('div', { class: 'card' }, detail),
  );
}
