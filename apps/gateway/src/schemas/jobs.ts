import { z } from '@hono/zod-openapi';
import { collectionName, METADATA_MAX_BYTES, subjectId } from './collections.ts';
import { boolField, formNumber, imageFile, jsonField, livenessField, numberField } from './common.ts';

/** Repeated `images` parts arrive as one File or an array of them; normalise to an array. */
const imageFiles = z
  .preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(imageFile).min(1))
  .openapi({ type: 'array', items: { type: 'string', format: 'binary' }, description: 'Repeated `images` file fields; each file name is the item\'s `ref`' });

export const submitExtractForm = z.object({
  images: imageFiles,
  webhook_url: z.url().optional().openapi({ description: 'POSTed a signed event when the job ends' }),
  faces: z.enum(['primary', 'all']).default('primary').openapi({ description: 'Embed the primary face only, or every face' }),
  flip_tta: boolField.openapi({ type: 'boolean' }),
});

/** `{"<file name>": "<subject_id>"}`, or `{"<file name>": {"subject_id": …, "metadata": {…}}}` per file. */
const manifestEntry = z.union([
  subjectId,
  z.object({
    subject_id: subjectId,
    metadata: z
      .record(z.string(), z.unknown())
      .optional()
      .refine((m) => m === undefined || Buffer.byteLength(JSON.stringify(m), 'utf8') <= METADATA_MAX_BYTES, `metadata must be at most ${METADATA_MAX_BYTES} bytes`),
    face_index: z.number().int().min(0).max(1000).optional(),
    face_box: z.object({ x: z.number(), y: z.number(), width: z.number().positive(), height: z.number().positive() }).strict().optional(),
  }).refine((e) => e.face_index === undefined || e.face_box === undefined, 'give face_index or face_box, not both'),
], { error: 'must be a subject_id (1 to 128 characters) or {"subject_id": …, "metadata": {…}, "face_index" | "face_box": …}' });
const manifestObject = z.record(z.string().min(1), manifestEntry);

const manifestField = jsonField(manifestObject).openapi({
  type: 'string',
  description: 'JSON object mapping each uploaded file name to its subject_id (or to `{subject_id, metadata, face_index | face_box}`)',
  example: '{"alice-1.jpg":"alice","bob.jpg":{"subject_id":"bob","metadata":{"team":"blue"}}}',
});

export const submitEnrollForm = z.object({
  images: imageFiles,
  manifest: manifestField,
  collection: collectionName,
  webhook_url: z.url().optional().openapi({ description: 'POSTed a signed event when the job ends' }),
  allow_multiple: boolField.openapi({ type: 'boolean', description: 'With several faces in an image and none dominant, enroll the most prominent instead of failing the item' }),
  on_conflict: z.enum(['reject', 'allow']).default('reject').openapi({ description: '`allow` enrolls even when a face matches another subject' }),
  liveness: livenessField,
});

export const jobIdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });

export const jobPageQuery = z.object({
  cursor: z.string().optional().openapi({ description: 'From the previous page\'s next_cursor' }),
  limit: formNumber(numberField({ min: 1, max: 1000, int: true }).default(100)).openapi({ type: 'integer', minimum: 1, maximum: 1000, default: 100 }),
});

export const jobAccepted = z
  .object({ success: z.literal(true), job_id: z.string(), status_url: z.string(), state: z.string(), created: z.boolean() })
  .openapi('JobAccepted');

const progress = z.object({ total: z.number().int(), succeeded: z.number().int(), failed: z.number().int(), cancelled: z.number().int() });
const webhook = z
  .object({
    url: z.string(),
    delivered: z.boolean(),
    attempts: z.array(z.object({ at: z.string(), status: z.number().optional(), error: z.string().optional() })),
  })
  .nullable();

export const jobSummary = z
  .object({
    success: z.literal(true),
    id: z.string(),
    type: z.string(),
    state: z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']),
    progress,
    created_at: z.string(),
    finished_at: z.string().nullable(),
    webhook,
    request_id: z.string().nullable().openapi({ description: 'X-Request-Id of the request that created the job; its log lines carry the same id' }),
  })
  .openapi('JobSummary');

export const jobPage = jobSummary
  .extend({
    items: z.array(
      z.object({
        ref: z.string(),
        status: z.enum(['succeeded', 'failed', 'pending', 'cancelled']),
        result: z.record(z.string(), z.unknown()).optional(),
        error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }).optional(),
      }),
    ),
    next_cursor: z.string().nullable(),
  })
  .openapi('JobPage');
