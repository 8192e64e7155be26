import { z } from '@hono/zod-openapi';
import { boolField, boxSchema, featureVector, imageFile, livenessField, livenessSchema, modelSchema, qualitySchema, thresholdField, thresholdFormField } from './common.ts';

export const extractFeatureForm = z.object({
  image: imageFile,
  flip_tta: boolField.openapi({ type: 'boolean', description: 'Embed the face and its mirror image (slower)' }),
  liveness: livenessField,
});

export const extractFeatureResponse = z
  .object({
    success: z.literal(true),
    message: z.string(),
    feature: z.array(z.number()),
    feature_dim: z.number().int(),
    quality_passed: z.boolean(),
    processing_time: z.number(),
    face_count: z.number().int(),
    box: boxSchema,
    landmarks: z.array(z.tuple([z.number(), z.number()])),
    detection_score: z.number(),
    quality: qualitySchema,
    model: modelSchema,
    liveness: livenessSchema.optional(),
  })
  .openapi('ExtractFeatureResponse');

export const compareFeaturesBody = z
  .object({ feature1: featureVector, feature2: featureVector, threshold: thresholdField })
  .openapi('CompareFeaturesRequest');

export const compareResponse = z
  .object({
    success: z.literal(true),
    message: z.string(),
    similarity: z.number().openapi({ description: 'Raw cosine similarity' }),
    is_same_person: z.boolean(),
    threshold: z.number(),
    processing_time: z.number(),
  })
  .openapi('CompareResponse');

export const compareImageFeatureForm = z.object({
  image: imageFile,
  feature: z.string().openapi({ description: 'JSON array holding the stored feature vector', example: '[0.1, 0.2, 0.3]' }),
  threshold: thresholdFormField,
  flip_tta: boolField.openapi({ type: 'boolean' }),
});

export const compareImageFeatureResponse = compareResponse
  .extend({ face_count: z.number().int(), quality_passed: z.boolean(), quality: qualitySchema, box: boxSchema, model: modelSchema })
  .openapi('CompareImageFeatureResponse');
