import { z } from '@hono/zod-openapi';
import { boolField, boxSchema, formNumber, imageFile, jsonField, livenessField, livenessSchema, numberField, thresholdField, thresholdFormField } from './common.ts';

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

export const subjectFaceParam = subjectParam.extend({
  face_id: z.string().min(1).max(100).openapi({ param: { name: 'face_id', in: 'path' } }),
});

/** The share of never-enrolled people a collection may `match` to someone; 50 % would be no decision at all. */
const FPIR_RULE = 'must be a number above 0 and at most 0.5';
const targetFpir = z.number({ error: FPIR_RULE }).gt(0, { error: FPIR_RULE }).max(0.5, { error: FPIR_RULE });

export const createCollectionBody = z
  .object({
    name: collectionName,
    target_fpir: targetFpir.optional().openapi({
      description: 'Identify decides at the threshold that keeps this share of never-enrolled people from matching anyone, recomputed as the collection grows (default 0.01)',
      example: 0.01,
    }),
    threshold: thresholdField.openapi({ description: 'A fixed decision threshold for identify and verify instead (similarities are centred cosines)' }),
    target_far: z.enum(['1e-2', '1e-3', '1e-4']).optional().openapi({ description: 'Per-pair false-accept rate verify decides at (default 1e-3)' }),
    store_crops: z.boolean().optional().openapi({
      description:
        'Keep each enrolled face\'s aligned 112x112 crop (default true): for review (GET …/faces/{id}/crop) and to migrate the collection to another embedder without the original photos. false keeps no image of anyone; a migration then needs the original photos enrolled again',
    }),
  })
  .refine((b) => b.threshold === undefined || b.target_fpir === undefined, { message: 'give threshold or target_fpir, not both', path: ['target_fpir'] })
  .refine((b) => b.threshold === undefined || b.target_far === undefined, { message: 'give threshold or target_far, not both', path: ['target_far'] })
  .openapi('CreateCollectionRequest');

export const decisionRuleSchema = z
  .object({
    threshold: z.number().openapi({ description: 'Identify\'s threshold in force now' }),
    source: z.enum(['target_fpir', 'threshold']),
    target_fpir: z.number().nullable(),
    gallery: z.object({ subjects: z.number().int(), faces: z.number().int(), entries: z.number().openapi({ description: 'Independent comparisons a probe makes: one per one-face subject, more for multi-face templates' }) }),
    per_pair_far: z.number().nullable().openapi({ description: 'False-accept rate of one comparison at the threshold' }),
    fpir: z.number().nullable().openapi({ description: 'Share of never-enrolled people who would match someone at this threshold and gallery size' }),
    ambiguity_margin: z.number().openapi({ description: 'Two subjects above the threshold closer than this are `ambiguous`' }),
    verify_threshold: z.number(),
    verify_far: z.string().nullable(),
    explanation: z.string(),
  })
  .openapi('DecisionRule');

export const collectionSchema = z
  .object({
    name: z.string(),
    embedder: z.string(),
    dimension: z.number().int(),
    threshold: z.number().openapi({ description: 'Identify\'s threshold in force now (see decision)' }),
    target_fpir: z.number().nullable(),
    target_far: z.string().nullable(),
    store_crops: z.boolean().openapi({ description: 'Whether enrolled faces keep their aligned crop' }),
    created_at: z.string(),
    subject_count: z.number().int().optional(),
    face_count: z.number().int().optional(),
    decision: decisionRuleSchema,
  })
  .openapi('Collection');

export const collectionResponse = collectionSchema.extend({ success: z.literal(true) });
export const collectionList = z.object({ success: z.literal(true), collections: z.array(collectionSchema) }).openapi('CollectionList');
export const okResponse = z.object({ success: z.literal(true), deleted: z.boolean() }).openapi('Deleted');

/** A JSON object stored with the subject; an empty field is the same as none. */
const metadataField = z
  .preprocess((v) => (v === '' ? undefined : v), jsonField(z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }), METADATA_MAX_BYTES).optional())
  .openapi({ type: 'string', description: 'JSON object stored with the subject (at most 16 KB)', example: '{"team":"blue"}' });

const boxShape = z.object({ x: z.number(), y: z.number(), width: z.number().positive(), height: z.number().positive() }).strict();

/** A face of a photo with several, named by its index in the 422's `faces` or by (a box overlapping) its box. */
export const faceChoice = {
  face_index: formNumber(numberField({ min: 0, max: 1000, int: true }).optional()).openapi({
    type: 'integer',
    minimum: 0,
    description: 'Enroll this face (an index from the multiple_faces error\'s `faces`)',
  }),
  face_box: z
    .preprocess((v) => (v === '' ? undefined : v), jsonField(boxShape).optional())
    .openapi({ type: 'string', description: 'Enroll the detected face that best overlaps this box (JSON {x, y, width, height} in image pixels)', example: '{"x":40,"y":30,"width":90,"height":110}' }),
};

export const enrollForm = z
  .object({
    image: imageFile,
    subject_id: subjectId,
    metadata: metadataField,
    ...faceChoice,
    allow_multiple: boolField.openapi({ type: 'boolean', description: 'With several faces and none dominant, enroll the most prominent instead of refusing' }),
    on_conflict: z.enum(['reject', 'allow']).default('reject').openapi({ description: '`allow` enrolls even when the face matches another subject' }),
    liveness: livenessField,
  })
  .refine((f) => f.face_index === undefined || f.face_box === undefined, { message: 'give face_index or face_box, not both', path: ['face_box'] });

const faceQuality = z.object({ passed: z.boolean(), reasons: z.array(z.string()) }).openapi('FaceQuality');

export const enrollResponse = z
  .object({
    success: z.literal(true),
    face_id: z.string(),
    subject_id: z.string(),
    created: z.boolean(),
    quality: faceQuality,
    box: boxSchema,
    face_index: z.number().int().openapi({ description: 'Which of the photo\'s faces was enrolled (0: the primary one)' }),
    face_count: z.number().int().openapi({ description: 'Faces detected in the photo' }),
    liveness: livenessSchema.optional(),
  })
  .openapi('EnrollResponse');

const topK = formNumber(numberField({ min: 1, max: 100, int: true }).default(5)).openapi({ type: 'integer', minimum: 1, maximum: 100, default: 5 });

const fpirField = formNumber(targetFpir.optional()).openapi({
  type: 'number',
  exclusiveMinimum: 0,
  maximum: 0.5,
  description: 'Decide at this false-positive identification rate for this request instead of the collection\'s',
});

export const identifyForm = z
  .object({ image: imageFile, top_k: topK, threshold: thresholdFormField, target_fpir: fpirField, liveness: livenessField })
  .refine((f) => f.threshold === undefined || f.target_fpir === undefined, { message: 'give threshold or target_fpir, not both', path: ['target_fpir'] });

const candidate = z.object({ subject_id: z.string(), face_id: z.string(), similarity: z.number() }).openapi('Candidate');

export const identifyResponse = z
  .object({
    success: z.literal(true),
    threshold: z.number().openapi({ description: 'The threshold these decisions were made at' }),
    target_fpir: z.number().nullable(),
    gallery_entries: z.number(),
    faces: z.array(
      z.object({
        box: boxSchema,
        landmarks: z.array(z.tuple([z.number(), z.number()])).openapi({ description: 'Five points in image pixels: eyes, nose tip, mouth corners (left, right in the image)' }),
        quality: z.object({ passed: z.boolean(), reasons: z.array(z.string()), metrics: z.record(z.string(), z.number()) }),
        liveness: livenessSchema.optional(),
        decision: z.enum(['match', 'unknown', 'ambiguous']).openapi({ description: '`ambiguous`: two subjects clear the threshold within the calibrated margin' }),
        top: candidate
          .extend({
            margin: z.number().nullable().openapi({ description: 'Similarity above the best other subject' }),
            estimated_far: z.number().nullable().openapi({ description: 'Per-pair false-accept rate of this similarity' }),
            estimated_fpir: z.number().nullable().openapi({ description: 'Chance that someone not enrolled scores this high against some subject of this gallery' }),
          })
          .nullable(),
        candidates: z.array(candidate),
        // A union rather than .nullable().openapi(…): that rendered as allOf [Candidate, nullable], which no
        // null satisfies, so generated clients typed `match` as never null.
        match: z.union([candidate, z.null()]).openapi({ description: 'The top candidate when decision is `match`, else null' }),
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

export const verifyForm = z.object({ image: imageFile, subject_id: subjectId, threshold: thresholdFormField, liveness: livenessField });

export const verifyResponse = z
  .object({
    success: z.literal(true),
    subject_id: z.string(),
    is_same_person: z.boolean(),
    similarity: z.number(),
    threshold: z.number(),
    face_id: z.string(),
    liveness: livenessSchema.optional(),
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

export const legacyIdentifyForm = z
  .object({ image: imageFile, collection: collectionName.default('default'), threshold: thresholdFormField, target_fpir: fpirField })
  .refine((f) => f.threshold === undefined || f.target_fpir === undefined, { message: 'give threshold or target_fpir, not both', path: ['target_fpir'] });

export const legacyIdentifyResponse = z
  .object({
    success: z.literal(true),
    message: z.string(),
    user_id: z.string().nullable(),
    similarity: z.number().nullable(),
    threshold: z.number(),
    decision: z.enum(['match', 'unknown', 'ambiguous']),
    margin: z.number().nullable(),
    estimated_fpir: z.number().nullable(),
    processing_time: z.number(),
  })
  .openapi('LegacyIdentifyResponse');
