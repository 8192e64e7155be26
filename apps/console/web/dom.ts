/** A tiny element builder: the console is four small views, not worth a framework. */
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | number | boolean | EventListener> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else if (v !== false) el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

function append(el: Element, children: Child[]) {
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
}

export const fixed = (n: number | null | undefined, digits = 3) => (typeof n === 'number' ? n.toFixed(digits) : '–');

/** A drop zone that also opens the file picker on click; calls `onFile` with the first image. */
export function dropZone(label: string, onFile: (file: File) => void, testId: string): HTMLElement {
  const input = h('input', { type: 'file', accept: 'image/*', hidden: true, 'data-testid': `${testId}-input` });
  const zone = h('div', { class: 'drop', 'data-testid': testId }, label, input);
  input.addEventListener('change', () => input.files?.[0] && onFile(input.files[0]));
  zone.addEventListener('click', () => input.click());
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) onFile(file);
  });
  return zone;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DrawnFace {
  box: Box;
  landmarks?: number[][];
  kind: string;
  label: string;
}

/** The photo with an SVG overlay in the image's own pixel space: one box, its landmarks and a label per face. */
export async function faceStage(file: File, faces: DrawnFace[]): Promise<HTMLElement> {
  const img = h('img', { src: URL.createObjectURL(file), alt: 'uploaded photo' });
  await img.decode();
  const overlay = svg('svg', { viewBox: `0 0 ${img.naturalWidth} ${img.naturalHeight}`, preserveAspectRatio: 'none', 'data-testid': 'face-overlay' });
  faces.forEach((f, i) => {
    const g = svg('g', { 'data-face': i });
    g.append(svg('rect', { class: `face-box ${f.kind}`, x: f.box.x, y: f.box.y, width: f.box.width, height: f.box.height, 'data-testid': 'face-box' }));
    for (const [x = 0, y = 0] of f.landmarks ?? []) g.append(svg('circle', { class: 'landmark', cx: x, cy: y, r: Math.max(1.5, f.box.width / 40) }));
    g.append(svg('text', { class: 'face-label', x: f.box.x, y: Math.max(14, f.box.y - 4) }, f.label));
    overlay.append(g);
  });
  return h('div', { class: 'stage' }, img, overlay);
}
