import { z } from 'zod';

/**
 * A collection as JSON Lines, one record per line, in this order: `header` (settings), then for each page of
 * subjects its `subject` lines followed by their `face` lines, then `end` (counts and the running vector
 * sum). Every face line names its subject, which an earlier line declared. The `end` line is what tells a
 * complete stream from a truncated one.
 */
export const TRANSFER_FORMAT = 'facerec.collection.v1';
export const TRANSFER_MEDIA_TYPE = 'application/x-ndjson';

const box = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).strict();
const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const headerLine = z
  .object({
    type: z.literal('header'),
    format: z.literal(TRANSFER_FORMAT, { error: `must be "${TRANSFER_FORMAT}"` }),
    exported_at: z.string(),
    collection: z
      .object({
        name: z.string().min(1).max(63),
        embedder: z.string().min(1),
        dimension: z.number().int().min(1).max(4096),
        threshold: z.number().min(-1).max(1).nullable(),
        target_fpir: z.number().gt(0).max(0.5).nullable(),
        target_far: z.enum(['1e-2', '1e-3', '1e-4']).nullable(),
        store_crops: z.boolean(),
        created_at: z.string(),
        /** What the source derived its face ids from: an imported collection keeps deriving the same ones. */
        face_id_seed: z.string().min(1).max(200),
      })
      .strict(),
    crops: z.boolean(),
  })
  .strict();

export const subjectLine = z
  .object({
    type: z.literal('subject'),
    subject_id: z.string().min(1).max(128),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    created_at: z.string(),
  })
  .strict();

export const faceLine = z
  .object({
    type: z.literal('face'),
    face_id: z.string().min(1).max(100),
    subject_id: z.string().min(1).max(128),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    quality: z.object({ passed: z.boolean(), reasons: z.array(z.string()) }).strict(),
    box,
    created_at: z.string(),
    /** The embedder that made `embedding`. */
    model: z.string().min(1),
    embedding: z.array(finite).min(1).max(4096),
    /** The stored aligned crop, base64, when exported with crops=true and kept. */
    crop: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64').optional(),
  })
  .strict();

export const endLine = z
  .object({
    type: z.literal('end'),
    subjects: z.number().int().min(0),
    faces: z.number().int().min(0),
    /** The running sum of the enrolled vectors, exactly as the source kept it (it drifts from a fresh sum as faces are deleted). */
    centroid: z.object({ count: z.number().int().min(0), sum: z.array(finite) }).strict().nullable(),
  })
  .strict();

export const transferLine = z.discriminatedUnion('type', [headerLine, subjectLine, faceLine, endLine]);

export type HeaderLine = z.infer<typeof headerLine>;
export type SubjectLine = z.infer<typeof subjectLine>;
export type FaceLine = z.infer<typeof faceLine>;
export type EndLine = z.infer<typeof endLine>;
