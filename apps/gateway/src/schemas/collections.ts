import { z } from '@hono/zod-openapi';
import { boolField, boxSchema, formNumber, imageFile, jsonField, numberField, thresholdField, thresholdFormField } from './common.ts';

const COLLECTION_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const METADATA_MAX_BYTES = 16 * 1024;

export const collectionName = z
  .string()
  .regex(COLLECTION_NAME, 'must be 1-63 characters of a-z, 0-9, _ or -, starting with a letter or digit')
  .openapi({ example: 'staff' });

export const collectionParam = z.object({
  name: collectionName.openapi({ param: { name: 'name', in: 'path' } }),
});

export const subjectId = z.string().min(1).max(128).openapi({ example: 'alice' });

export const subjectParam = collectionParam.extend({
  subject_id: subjectId.openapi({ param: { name: 'subject_id', in: 'path' } }),
});

export const faceParam = collectionParam.extend({
  face_id: z.string().min(1).max(100).openapi({ param: { name: 'face_id', in: 'path' } }),
});

export const createCollectionBody = z
  .object({
    name: collectionName,
    threshold: thresholdField.openapi({ description: 'Cosine decision threshold; default: the embedder\'s calibrated one' }),
    target_far: z.enum(['1e-2', '1e-3', '1e-4']).optional().openapi({ description: 'Pick the threshold calibrated for this false-accept rate' }),
  })
  .refine((b) => b.threshold === undefined || b.target_far === undefined, { message: 'give threshold or target_far, not both', path: ['target_far'] })
  .openapi('CreateCollectionRequest');

export const collectionSchema = z
  .object({
    name: z.string(),
    embedder: z.string(),
    dimension: z.number().int(),
    threshold: z.number(),
    target_far: z.string().nullable(),
    created_at: z.string(),
    subject_count: z.number().int().optional(),
    face_count: z.number().int().optional(),
  })
  .openapi('Collection');

export const collectionResponse = collectionSchema.extend({ success: z.literal(true) });
export const collectionList = z.object({ success: z.literal(true), collections: z.array(collectionSchema) }).openapi('CollectionList');
export const okResponse = z.object({ success: z.literal(true), deleted: z.boolean() }).openapi('Deleted');

/** A JSON object stored with the subject; an empty field is the same as none. */
const metadataField = z
  .preprocess((v) => (v === '' ? undefined : v), jsonField(z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }), METADATA_MAX_BYTES).optional())
  .openapi({ type: 'string', description: 'JSON object stored with the subject (at most 16 KB)', example: '{"team":"blue"}' });

export const enrollForm = z.object({
  image: imageFile,
  subject_id: subjectId,
  metadata: metadataField,
  allow_multiple: boolField.openapi({ type: 'boolean', description: 'With several faces, enroll the largest instead of refusing' }),
  on_conflict: z.enum(['reject', 'allow']).default('reject').openapi({ description: '`allow` enrolls even when the face matches another subject' }),
});

const faceQuality = z.object({ passed: z.boolean(), reasons: z.array(z.string()) }).openapi('FaceQuality');

export const enrollResponse = z
  .object({ success: z.literal(true), face_id: z.string(), subject_id: z.string(), created: z.boolean(), quality: faceQuality, box: boxSchema })
  .openapi('EnrollResponse');

const topK = formNumber(numberField({ min: 1, max: 100, int: true }).default(5)).openapi({ type: 'integer', minimum: 1, maximum: 100, default: 5 });

export const identifyForm = z.object({ image: imageFile, top_k: topK, threshold: thresholdFormField });

const candidate = z.object({ subject_id: z.string(), face_id: z.string(), similarity: z.number() }).openapi('Candidate');

export const identifyResponse = z
  .object({
    success: z.literal(true),
    threshold: z.number(),
    faces: z.array(
      z.object({
        box: boxSchema,
        quality: z.object({ passed: z.boolean(), reasons: z.array(z.string()), metrics: z.record(z.string(), z.number()) }),
        candidates: z.array(candidate),
        match: candidate.nullable(),
      }),
    ),
    processing_time: z.number(),
  })
  .openapi('IdentifyResponse');

export const searchBody = z
  .object({
    vector: z.array(z.unknown()).openapi({ type: 'array', items: { type: 'number' } }),
    top_k: z.number().int().min(1).max(100).default(5),
  })
  .openapi('SearchRequest');

export const searchResponse = z.object({ success: z.literal(true), hits: z.array(candidate), processing_time: z.number() }).openapi('SearchResponse');

export const verifyForm = z.object({ image: imageFile, subject_id: subjectId, threshold: thresholdFormField });

export const verifyResponse = z
  .object({
    success: z.literal(true),
    subject_id: z.string(),
    is_same_person: z.boolean(),
    similarity: z.number(),
    threshold: z.number(),
    face_id: z.string(),
    processing_time: z.number(),
  })
  .openapi('VerifyResponse');

export const subjectListQuery = z.object({
  cursor: z.string().optional().openapi({ description: 'next_cursor of the previous page' }),
  limit: formNumber(numberField({ min: 1, max: 1000, int: true }).default(100)).openapi({ type: 'integer', minimum: 1, maximum: 1000, default: 100 }),
});

const subjectSchema = z
  .object({ subject_id: z.string(), metadata: z.record(z.string(), z.unknown()).nullable(), face_count: z.number().int(), created_at: z.string() })
  .openapi('Subject');

export const subjectPage = z
  .object({ success: z.literal(true), subjects: z.array(subjectSchema), next_cursor: z.string().nullable() })
  .openapi('SubjectPage');

const faceSchema = z
  .object({ face_id: z.string(), sha256: z.string(), quality: faceQuality, box: boxSchema, created_at: z.string() })
  .openapi('Face');

export const subjectDetail = subjectSchema.extend({ success: z.literal(true), faces: z.array(faceSchema) }).openapi('SubjectDetail');

export const legacyIdentifyForm = z.object({ image: imageFile, collection: collectionName.default('default'), threshold: thresholdFormField });

export const legacyIdentifyResponse = z
  .object({
    success: z.literal(true),
    message: z.string(),
    user_id: z.string().nullable(),
    similarity: z.number().nullable(),
    threshold: z.number(),
    processing_time: z.number(),
  })
  .openapi('LegacyIdentifyResponse');
