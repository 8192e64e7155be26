import { client, describeError, expectData } from '../api.ts';
import { dropZone, faceStage, fixed, h } from '../dom.ts';

/** Drop a photo: every face boxed with its landmarks, quality reasons and 1:N decision against a collection. */
export function identifyView(): HTMLElement {
  const select = h('select', { 'data-testid': 'collection-select' });
  const result = h('div', { 'data-testid': 'identify-result' });
  const status = h('p', { class: 'muted' });
  void client().http.GET('/v1/collections').then(expectData).then(
    ({ collections }) => {
      if (collections.length === 0) status.textContent = 'No collection yet: create one under Collections and enroll some faces.';
      for (const c of collections) select.append(h('option', { value: c.name }, `${c.name} (${c.subject_count ?? 0} subjects)`));
    },
    (err) => (status.textContent = describeError(err)),
  );

  async function identify(file: File) {
    result.replaceChildren(h('p', { class: 'muted' }, `Identifying ${file.name}…`));
    try {
      const answer = expectData(await client().identify(select.value, { image: file, top_k: 3 }));
      const faces = answer.faces.map((f, i) => ({
        box: f.box,
        landmarks: f.landmarks,
        kind: f.decision,
        label: `${i + 1}${f.decision === 'match' && f.match ? ` ${f.match.subject_id}` : ''}`,
      }));
      const rows = answer.faces.map((f, i) =>
        h(
          'tr',
          { 'data-testid': 'face-row' },
          h('td', {}, i + 1),
          h('td', { class: `decision ${f.decision}`, 'data-testid': 'face-decision' }, f.decision),
          h('td', {}, f.top?.subject_id ?? '–'),
          h('td', {}, fixed(f.top?.similarity)),
          h('td', {}, fixed(f.top?.margin)),
          h('td', {}, f.quality.passed ? 'ok' : f.quality.reasons.join(', ')),
        ),
      );
      result.replaceChildren(
        h('p', { 'data-testid': 'identify-summary' }, `${answer.faces.length} face${answer.faces.length === 1 ? '' : 's'} in ${file.name}, decided at threshold ${fixed(answer.threshold)} over ${answer.gallery_entries} gallery entries`),
        h('div', { class: 'row' },
          await faceStage(file, faces),
          h('table', {}, h('thead', {}, h('tr', {}, ...['#', 'decision', 'top subject', 'similarity', 'margin', 'quality'].map((t) => h('th', {}, t)))), h('tbody', {}, ...rows)),
        ),
      );
    } catch (err) {
      result.replaceChildren(h('p', { class: 'error', 'data-testid': 'identify-error' }, describeError(err)));
    }
  }

  return h('section', {},
    h('div', { class: 'card' },
      h('h2', {}, 'Identify'),
      h('div', { class: 'row' }, h('label', {}, 'Collection ', select), dropZone('Drop a photo here, or click to choose one', (f) => void identify(f), 'identify-drop')),
      status,
    ),
    h('div', { class: 'card' }, result),
  );
}
