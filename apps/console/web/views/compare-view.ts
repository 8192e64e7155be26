import type { ClientData } from '@facerec/client';
import { client, describeError, expectData } from '../api.ts';
import { dropZone, faceStage, fixed, h } from '../dom.ts';

type Extracted = { file: File; feature: ClientData<'extractFeature'> };

/** Two photos: each one's primary face (/api/extract_feature), then their similarity (/api/compare_features). */
export function compareView(): HTMLElement {
  const picked: [Extracted | undefined, Extracted | undefined] = [undefined, undefined];
  const sides = [h('div', {}), h('div', {})];
  const verdict = h('div', { 'data-testid': 'compare-result' });

  async function pick(side: 0 | 1, file: File) {
    sides[side]!.replaceChildren(h('p', { class: 'muted' }, `Extracting ${file.name}…`));
    try {
      const feature = expectData(await client().extractFeature({ image: file }));
      picked[side] = { file, feature };
      const label = `${feature.face_count} face${feature.face_count === 1 ? '' : 's'}${feature.quality_passed ? '' : `: ${feature.quality.reasons.join(', ')}`}`;
      sides[side]!.replaceChildren(await faceStage(file, [{ box: feature.box, landmarks: feature.landmarks, kind: 'primary', label: '' }]), h('p', { class: 'muted' }, label));
    } catch (err) {
      picked[side] = undefined;
      sides[side]!.replaceChildren(h('p', { class: 'error' }, describeError(err)));
    }
    const [a, b] = picked;
    if (!a || !b) return;
    try {
      const answer = expectData(await client().http.POST('/api/compare_features', { body: { feature1: a.feature.feature, feature2: b.feature.feature } }));
      verdict.replaceChildren(
        h('p', { class: `decision ${answer.is_same_person ? 'match' : 'unknown'}`, 'data-testid': 'compare-verdict' }, answer.is_same_person ? 'Same person' : 'Different people'),
        h('p', {}, `similarity ${fixed(answer.similarity, 4)} (threshold ${fixed(answer.threshold)})`),
      );
    } catch (err) {
      verdict.replaceChildren(h('p', { class: 'error' }, describeError(err)));
    }
  }

  return h('section', {},
    h('div', { class: 'card' }, h('h2', {}, 'Compare two photos'), verdict),
    h('div', { class: 'row' },
      h('div', { class: 'card' }, dropZone('First photo', (f) => void pick(0, f), 'compare-a'), sides[0]!),
      h('div', { class: 'card' }, dropZone('Second photo', (f) => void pick(1, f), 'compare-b'), sides[1]!),
    ),
  );
}
