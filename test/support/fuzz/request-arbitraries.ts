import fc from 'fast-check';

/**
 * Random and hostile HTTP requests derived from the service's own OpenAPI document, which is generated
 * from the zod schemas that validate requests: every documented route, each parameter and body field
 * drawn from its declared type (in range, at and past its bounds) or from anything at all, fields left
 * out or sent twice, bodies encoded right or wrong, and the wrong Content-Type.
 */

export interface SchemaObject {
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  $ref?: string;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: SchemaObject;
}

export interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: { contentType: string; schema: SchemaObject };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: SchemaObject }> } }>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

/** Files the fuzzer uploads: real faces (to reach deep code), broken and hostile images. */
export type FilePool = ReadonlyArray<{ name: string; bytes: Uint8Array }>;

/** Values a path parameter may take besides random text: names of things that exist, so routes go deep. */
export interface KnownValues {
  name: string[];
  subject_id: string[];
  face_id: string[];
  id: string[];
}

export interface FuzzRequest {
  method: string;
  /** Path and query, already encoded. */
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | FormData;
  /** What the generator meant to send, for a failure report. */
  label: string;
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const resolve = (s: SchemaObject): SchemaObject => (s.$ref ? resolve(doc.components?.schemas?.[s.$ref.split('/').pop()!] ?? {}) : s);
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const content = op.requestBody?.content ?? {};
      const [contentType, media] = Object.entries(content)[0] ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? []).map((p) => ({ ...p, schema: resolve(p.schema) })),
        ...(contentType && media ? { body: { contentType, schema: resolve(media.schema) } } : {}),
      });
    }
  }
  return ops;
}

/** Odd text: control characters, lone surrogates, path tricks, injection-looking strings, long runs. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '../../etc/passwd', '%00', '%2e%2e%2f', '__proto__', 'constructor', '{"after":"zzz"}', "' OR 1=1 --", '<script>', '\r\nX-Injected: 1', 'NaN', 'Infinity', '-0', '1e999', '0x10', 'true', 'null', '[]', '{}'),
  fc.nat(5000).map((n) => 'a'.repeat(n)),
);

/** Numbers at the edges: ±0, extremes, just outside a range, non-integers. */
function numberArb(s: SchemaObject): fc.Arbitrary<number> {
  const lo = s.minimum ?? -1e6;
  const hi = s.maximum ?? 1e6;
  const inRange = s.type === 'integer' ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }) : fc.double({ min: lo, max: hi, noNaN: true });
  return fc.oneof(
    { weight: 3, arbitrary: inRange },
    { weight: 1, arbitrary: fc.constantFrom(lo, hi, lo - 1, hi + 1, lo - 1e-9, hi + 1e-9, 0, -0, 0.5, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 + 1) },
    { weight: 1, arbitrary: fc.double() },
  );
}

/** JSON text nested up to `max` deep. */
const deepJsonText = (max: number) =>
  fc.integer({ min: 1, max }).chain((depth) => fc.constantFrom(`${'['.repeat(depth)}${']'.repeat(depth)}`, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));
/** As text (sent as is) it goes 20,000 deep; as a value inside a body the generator itself must stringify it. */
const deepJson = deepJsonText(20_000);
const deepValue = deepJsonText(1_000).map((t) => JSON.parse(t) as unknown);

/** A value for `s`, as a JS value for a JSON body: mostly of the declared type, sometimes anything. */
export function jsonValueArb(s: SchemaObject, known: KnownValues, depth = 0): fc.Arbitrary<unknown> {
  const anything = fc.oneof(fc.anything({ maxDepth: 3 }), deepValue, hostileString);
  let typed: fc.Arbitrary<unknown>;
  if (s.enum) typed = fc.constantFrom(...s.enum);
  else if (s.type === 'number' || s.type === 'integer') typed = numberArb(s);
  else if (s.type === 'boolean') typed = fc.boolean();
  else if (s.type === 'array') {
    const item = s.items && depth < 3 ? jsonValueArb(s.items, known, depth + 1) : fc.anything({ maxDepth: 1 });
    // Vectors: the service's own length, a near miss, empty, or long.
    typed = fc.oneof(
      fc.array(item, { minLength: 128, maxLength: 128 }),
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 128, maxLength: 128 }),
      fc.array(item, { maxLength: 130 }),
      fc.constant([]),
      fc.constant(Array.from({ length: 128 }, () => 0)),
      fc.nat(20_000).map((n) => Array.from({ length: n }, (_, i) => Math.sin(i))),
    );
  } else if (s.type === 'object' && s.properties && depth < 3) typed = objectArb(s, known, depth + 1);
  // Names that exist, so a route goes deep; random valid ones are rarer, so the service does not fill up with collections.
  else if (s.type === 'string' && s.pattern) typed = fc.oneof(fc.constantFrom(...known.name), fc.stringMatching(new RegExp(s.pattern)), hostileString);
  else typed = hostileString;
  return fc.oneof({ weight: 4, arbitrary: typed }, { weight: 1, arbitrary: anything });
}

function objectArb(s: SchemaObject, known: KnownValues, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const entries = Object.entries(props).map(([k, v]) => [k, fc.option(jsonValueArb(v, known, depth), { freq: 4, nil: undefined })] as const);
  return fc.record(Object.fromEntries(entries)).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
}

/** A form field's text: the type's text, at its edges, empty, or anything. */
function formTextArb(name: string, s: SchemaObject, known: KnownValues): fc.Arbitrary<string> {
  const typed: fc.Arbitrary<string>[] = [hostileString];
  if (s.enum) typed.push(fc.constantFrom(...s.enum.map(String)));
  if (s.type === 'number' || s.type === 'integer') typed.push(numberArb(s).map(String));
  if (s.type === 'boolean') typed.push(fc.constantFrom('true', 'false', '1', '0', 'yes', 'TRUE'));
  if (s.pattern) typed.push(fc.stringMatching(new RegExp(s.pattern)));
  if (name === 'collection' || name === 'subject_id') typed.push(fc.constantFrom(...known.name, ...known.subject_id));
  if (name === 'feature') {
    typed.push(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 128, maxLength: 128 }).map((v) => JSON.stringify(v)));
    typed.push(fc.array(fc.double(), { maxLength: 200 }).map((v) => JSON.stringify(v)));
  }
  if (name === 'metadata' || name === 'manifest') {
    typed.push(fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 4 })).map((v) => JSON.stringify(v)));
    typed.push(deepJson);
    typed.push(fc.constantFrom('{"face.jpg":"alice"}', '{"face.jpg":{"subject_id":"alice","metadata":{"k":1}}}', '{', 'null', '[]'));
  }
  if (name === 'webhook_url') {
    // Never deliverable: the fuzzed service has no WEBHOOK_SECRET, and these name no reachable host.
    typed.push(fc.constantFrom('http://127.0.0.1:9/hook', 'http://[::127.0.0.1]/', 'ftp://x/', 'not a url', 'http://hooks.facerec.test/'));
  }
  return fc.oneof(...typed);
}

/** One form field: left out, sent once, sent twice, or sent many times. */
function formFieldArb(name: string, s: SchemaObject, files: FilePool, known: KnownValues): fc.Arbitrary<Array<[string, string | { name: string; bytes: Uint8Array }]>> {
  const isFile = s.format === 'binary' || (s.type === 'array' && s.items?.format === 'binary');
  const one: fc.Arbitrary<string | { name: string; bytes: Uint8Array }> = isFile
    ? fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...files) }, { weight: 1, arbitrary: formTextArb(name, s, known) })
    : fc.oneof({ weight: 5, arbitrary: formTextArb(name, s, known) }, { weight: 1, arbitrary: fc.constantFrom(...files) });
  const times = fc.oneof(
    { weight: 2, arbitrary: fc.constant(0) },
    { weight: 8, arbitrary: fc.constant(1) },
    { weight: isFile && s.type === 'array' ? 4 : 1, arbitrary: fc.integer({ min: 2, max: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom(50, 1000) },
  );
  return times.chain((n) => (n === 0 ? fc.constant([]) : fc.array(one, { minLength: Math.min(n, 4), maxLength: Math.min(n, 4) }).map((vs) => Array.from({ length: n }, (_, i) => [name, vs[i % vs.length]!] as [string, string | { name: string; bytes: Uint8Array }]))));
}

type FormParts = Array<[string, string | { name: string; bytes: Uint8Array }]>;

function toFormData(parts: FormParts): FormData {
  const form = new FormData();
  for (const [k, v] of parts) {
    if (typeof v === 'string') form.append(k, v);
    else form.append(k, new Blob([v.bytes]), v.name);
  }
  return form;
}

/** Multipart bytes written by hand, so they can be wrong: no final boundary, a boundary that never comes, junk headers. */
const brokenMultipart = fc.record({
  boundary: fc.constantFrom('X', 'abc123', '----fuzz', ''),
  body: fc.oneof(
    fc.constant('--X\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\n\r\nabc'),
    fc.constant('--X\r\nContent-Disposition: form-data; name="image"\r\n\r\nabc\r\n--X--\r\n'),
    fc.constant('--X\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n--X--\r\n'),
    fc.constant('--X\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--X\r\nContent-Disposition: form-data; name="a"\r\n\r\n2\r\n--X--\r\n'),
    fc.constant('--X--\r\n'),
    fc.string({ unit: 'binary', maxLength: 300 }),
  ),
});

const WRONG_TYPES = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/mixed; boundary=X', 'image/jpeg', 'application/json; charset=utf-16', '*/*', 'multipart/form-data'];

/** Path parameter text: existing names (deep), pattern-valid names, and hostile text. */
function pathParamArb(p: Parameter, known: KnownValues): fc.Arbitrary<string> {
  const pool = (known as unknown as Record<string, string[]>)[p.name] ?? [];
  const arbs: fc.Arbitrary<string>[] = [hostileString.filter((s) => s.length > 0)];
  if (pool.length > 0) arbs.push(fc.constantFrom(...pool));
  if (p.schema.pattern) arbs.push(fc.stringMatching(new RegExp(p.schema.pattern)).filter((s) => s.length > 0));
  return fc.oneof(...arbs);
}

/** encodeURIComponent, except that a lone surrogate goes as its UTF-8 replacement instead of throwing. */
function encodePathPart(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

export function requestArb(op: Operation, files: FilePool, known: KnownValues): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');

  const path = fc.tuple(...pathParams.map((p) => pathParamArb(p, known))).map((values) =>
    pathParams.reduce((acc, p, i) => acc.replace(`{${p.name}}`, encodePathPart(values[i]!)), op.path),
  );
  const query = fc
    .tuple(...queryParams.map((p) => fc.option(fc.array(formTextArb(p.name, p.schema, known), { minLength: 1, maxLength: 3 }), { nil: undefined })))
    .map((values) => {
      const q = new URLSearchParams();
      queryParams.forEach((p, i) => values[i]?.forEach((v) => q.append(p.name, v)));
      return q.toString();
    });
  const headers = fc
    .tuple(...headerParams.map((p) => fc.option(fc.oneof(hostileString.filter((s) => /^[\x20-\x7e]*$/.test(s)), fc.string({ minLength: 1, maxLength: 300 }).filter((s) => /^[\x21-\x7e]+$/.test(s))), { nil: undefined })))
    .map((values) => Object.fromEntries(headerParams.flatMap((p, i) => (values[i] === undefined ? [] : [[p.name, values[i]!]]))));

  let body: fc.Arbitrary<Pick<FuzzRequest, 'body' | 'headers' | 'label'>>;
  if (!op.body) {
    body = fc.oneof(
      { weight: 5, arbitrary: fc.constant({ headers: {}, label: 'no body' }) },
      { weight: 1, arbitrary: fc.string({ maxLength: 100 }).map((b) => ({ body: b, headers: { 'content-type': 'application/json' }, label: 'unexpected body' })) },
    );
  } else if (op.body.contentType === 'application/json') {
    const value = fc.oneof({ weight: 6, arbitrary: objectArb(op.body.schema, known, 0) }, { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) });
    body = fc.oneof(
      { weight: 6, arbitrary: value.map((v) => ({ body: JSON.stringify(v) ?? 'undefined', headers: { 'content-type': 'application/json' }, label: 'json' })) },
      { weight: 1, arbitrary: value.chain((v) => fc.nat((JSON.stringify(v) ?? '').length).map((n) => ({ body: (JSON.stringify(v) ?? '').slice(0, n), headers: { 'content-type': 'application/json' }, label: 'truncated json' }))) },
      { weight: 1, arbitrary: deepJson.map((d) => ({ body: d, headers: { 'content-type': 'application/json' }, label: 'deep json body' })) },
      { weight: 1, arbitrary: fc.tuple(value, fc.constantFrom(...WRONG_TYPES, undefined)).map(([v, t]) => ({ body: JSON.stringify(v) ?? '', headers: (t ? { 'content-type': t } : {}) as Record<string, string>, label: `json as ${t ?? 'no content-type'}` })) },
    );
  } else {
    const props = Object.entries(op.body.schema.properties ?? {});
    const parts = fc.tuple(...props.map(([name, s]) => formFieldArb(name, s, files, known))).chain((fields) =>
      fc.shuffledSubarray(fields.flat(), { minLength: fields.flat().length }),
    );
    body = fc.oneof(
      { weight: 8, arbitrary: parts.map((p) => ({ body: toFormData(p), headers: {}, label: `multipart ${[...new Set(p.map(([k]) => k))].join(',')} (${p.length} parts)` })) },
      { weight: 1, arbitrary: brokenMultipart.map((b) => ({ body: b.body, headers: { 'content-type': b.boundary ? `multipart/form-data; boundary=${b.boundary}` : 'multipart/form-data' }, label: 'broken multipart' })) },
      { weight: 1, arbitrary: fc.tuple(parts, fc.constantFrom(...WRONG_TYPES, 'application/json')).map(([p, t]) => ({ body: JSON.stringify(Object.fromEntries(p.map(([k, v]) => [k, typeof v === 'string' ? v : v.name]))), headers: { 'content-type': t }, label: `form fields as ${t}` })) },
      { weight: 1, arbitrary: fc.constant({ headers: {}, label: 'no body' }) },
    );
  }
  return fc.tuple(path, query, headers, body).map(([p, q, h, b]) => ({
    method: op.method,
    url: q ? `${p}?${q}` : p,
    headers: { ...h, ...b.headers },
    ...(b.body !== undefined ? { body: b.body } : {}),
    label: `${op.method} ${op.path}: ${b.label}`,
  }));
}

/** Requests for no documented route: unknown paths and methods. */
export const strayRequestArb: fc.Arbitrary<FuzzRequest> = fc
  .tuple(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'), fc.constantFrom('/', '/api', '/v1/x', '/v1/collections/a/b/c/d', '/health/x', '/%ff', '/api/extract_feature/..'))
  .map(([method, url]) => ({ method, url, headers: {}, label: `${method} ${url}` }));
