import { z } from '@hono/zod-openapi';

export const errorSchema = z
  .object({
    success: z.literal(false),
    code: z.string().openapi({ example: 'no_face', description: 'Stable machine-readable error code' }),
    message: z.string().openapi({ example: 'No face was detected in the image' }),
    details: z.record(z.string(), z.unknown()).optional(),
    processing_time: z.number().openapi({ example: 0.123, description: 'Seconds spent on the request' }),
  })
  .openapi('Error');

export const errorResponses = (...statuses: Array<400 | 401 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503 | 504>) =>
  Object.fromEntries(
    statuses.map((s) => [s, { description: errorDescriptions[s], content: { 'application/json': { schema: errorSchema } } }]),
  );

const errorDescriptions = {
  400: 'Invalid input (not an image, no face, bad vector, missing field, malformed JSON)',
  401: 'Missing or invalid API key',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request body too large',
  415: 'Unsupported Content-Type',
  422: 'Refused on its merits (e.g. quality gate)',
  429: 'At capacity; see Retry-After',
  500: 'Internal error',
  503: 'Models not loaded yet or a backing service is down',
  504: 'Timed out waiting for a worker',
} as const;

/** A file part of a multipart body. */
export const imageFile = z
  .custom<File>((v) => v instanceof File, { message: 'must be an uploaded image file (multipart/form-data)' })
  .openapi({ type: 'string', format: 'binary', description: 'Image file: JPEG, PNG, WebP, GIF, TIFF, AVIF…' });

/** Vectors are validated by FeatureMatcher so wrong lengths and non-finite values get their own codes. */
export const featureVector = z
  .array(z.unknown())
  .openapi({ type: 'array', items: { type: 'number' }, description: 'Feature vector from /api/extract_feature', example: [0.123, -0.456, 0.789] });

/**
 * One rule for every numeric field: a finite number within [min, max] (an integer when `int`), with a
 * message that states the rule, whatever was wrong (a string, null, a boolean, an array, out of range).
 * This is the JSON form; `formNumber` gives the multipart/query form of the same rule.
 */
export function numberField(opts: { min: number; max: number; int?: boolean }) {
  const rule = `must be ${opts.int ? 'an integer' : 'a number'} from ${opts.min} to ${opts.max}`;
  const base = opts.int ? z.number({ error: rule }).int({ error: rule }) : z.number({ error: rule });
  return base.min(opts.min, { error: rule }).max(opts.max, { error: rule });
}

/** A plain decimal number as text: no hex, no `Infinity`, no surrounding blanks, nothing after it. */
const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The multipart/query form of a numeric field: its text must be a plain decimal number, then `schema`'s
 * rule applies. An empty field means "not given", so an HTML form's blank input never becomes 0; any other
 * text (blanks, `true`, `0x1`, `abc`) reaches `schema` unconverted and fails with its message.
 */
export function formNumber<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === '' ? undefined : typeof v === 'string' && NUMERIC_TEXT.test(v) ? Number(v) : v), schema);
}

const thresholdDoc = { type: 'number', minimum: -1, maximum: 1, description: 'Cosine decision threshold for this request; defaults to the calibrated one' } as const;

/** A cosine decision threshold in a JSON body: a number in [-1, 1], nothing else. */
export const thresholdField = numberField({ min: -1, max: 1 }).optional().openapi(thresholdDoc);

/** The same threshold as a multipart field: a numeric string; an empty field is not given. */
export const thresholdFormField = formNumber(numberField({ min: -1, max: 1 }).optional()).openapi(thresholdDoc);

/** `true`/`false`/`1`/`0` in a form; an empty field is not given. */
export const boolField = z
  .preprocess((v) => (v === '' ? undefined : v), z.enum(['true', 'false', '1', '0'], { error: 'must be true, false, 1 or 0' }).optional())
  .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1'));

export const qualitySchema = z
  .object({
    passed: z.boolean(),
    reasons: z.array(z.string()).openapi({ example: [], description: 'too_small, low_score, blurry, too_dark, too_bright, low_contrast, extreme_pose, multiple_faces' }),
    metrics: z.record(z.string(), z.number()),
  })
  .openapi('Quality');

/** The passive liveness check of one face (present when it ran: see LIVENESS). */
export const livenessSchema = z
  .object({
    score: z.number().openapi({ description: 'Probability that the image shows a live face rather than a print or a screen (0..1)' }),
    passed: z.boolean().openapi({ description: 'score at or above the liveness threshold' }),
    model: z.string(),
  })
  .openapi('Liveness');

export const livenessField = boolField.openapi({
  type: 'boolean',
  description: 'Run the passive liveness check (single-frame, not certified presentation-attack detection). With LIVENESS=report it runs unless false; with LIVENESS=enforce it always runs',
});

export const boxSchema = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).openapi('Box');

export const modelSchema = z
  .object({ detector: z.string(), embedder: z.string(), dimension: z.number().int() })
  .openapi('Model');

/** Deeper JSON than any real metadata or manifest needs; recursive code further on (JSON.stringify, storage) stays far from the stack's end. */
export const JSON_MAX_DEPTH = 32;

/** Nesting depth of a parsed JSON value (a scalar is 0, `[]` is 1), walked without recursion; stops once past `limit`. */
export function jsonDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const inner = depth + 1;
    if (inner > deepest) deepest = inner;
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, inner]);
  }
  return deepest;
}

/**
 * A form field holding JSON (multipart has no JSON parts), parsed and checked against `schema` here, so a
 * malformed one is a 400 naming the field before any bytes are stored or any model runs. Nesting deeper
 * than JSON_MAX_DEPTH is refused before `schema` sees it.
 */
export function jsonField<T extends z.ZodType>(schema: T, maxBytes?: number) {
  return z.string().transform((raw, ctx): z.output<T> => {
    if (maxBytes !== undefined && Buffer.byteLength(raw, 'utf8') > maxBytes) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${maxBytes} bytes` });
      return z.NEVER;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
      return z.NEVER;
    }
    if (jsonDepth(value, JSON_MAX_DEPTH) > JSON_MAX_DEPTH) {
      ctx.addIssue({ code: 'custom', message: `must be nested at most ${JSON_MAX_DEPTH} levels deep` });
      return z.NEVER;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message });
      return z.NEVER;
    }
    return parsed.data as z.output<T>;
  });
}
