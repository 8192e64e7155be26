import { readFile } from 'node:fs/promises';
import { openSetCalibrationSchema } from '@facerec/calibration';
import { z } from 'zod';

const inputSpec = z.object({
  name: z.string(),
  layout: z.literal('NCHW'),
  size: z.union([z.tuple([z.number().int(), z.number().int()]), z.string()]),
  color: z.enum(['RGB', 'BGR']),
  mean: z.tuple([z.number(), z.number(), z.number()]),
  std: z.tuple([z.number(), z.number(), z.number()]),
});

/** Cosine thresholds at fixed false-accept rates for 1:1 comparisons of raw vectors, over all impostor pairs of `dataset`. */
export const thresholdsSchema = z.object({
  dataset: z.string(),
  impostor_pairs: z.number().int(),
  genuine_pairs: z.number().int(),
  far_1e2: z.number(),
  far_1e3: z.number(),
  far_1e4: z.number(),
  tar_at_far_1e3: z.number(),
  default: z.enum(['far_1e2', 'far_1e3', 'far_1e4']),
  measured_at: z.string(),
  pipeline: z.string(),
});

const common = {
  id: z.string().regex(/^[a-z0-9-]+$/),
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  url: z.url(),
  license: z.string(),
  input: inputSpec,
  batch: z.union([z.literal('dynamic'), z.number().int().positive()]),
};

export const detectorEntry = z.object({ ...common, task: z.literal('detect'), strides: z.array(z.number().int()) });
export const embedderEntry = z.object({
  ...common,
  task: z.literal('embed'),
  output_dim: z.number().int().positive(),
  thresholds: thresholdsSchema.nullable(),
  /** The open-set (1:N) calibration collections decide with; `npm run models:calibrate` writes it. */
  open_set: openSetCalibrationSchema.nullable().default(null),
});
export const manifestSchema = z.object({
  $comment: z.string().optional(),
  models: z.array(z.discriminatedUnion('task', [detectorEntry, embedderEntry])),
});

export type DetectorEntry = z.infer<typeof detectorEntry>;
export type EmbedderEntry = z.infer<typeof embedderEntry>;
export type ModelEntry = DetectorEntry | EmbedderEntry;
export type ModelManifest = z.infer<typeof manifestSchema>;
export type Thresholds = z.infer<typeof thresholdsSchema>;

export async function loadManifest(path: string): Promise<ModelManifest> {
  return manifestSchema.parse(JSON.parse(await readFile(path, 'utf8')));
}

export function findModel<T extends ModelEntry['task']>(
  manifest: ModelManifest,
  id: string,
  task: T,
): Extract<ModelEntry, { task: T }> {
  const entry = manifest.models.find((m) => m.id === id);
  if (!entry) {
    const known = manifest.models.filter((m) => m.task === task).map((m) => m.id);
    throw new Error(`Unknown ${task} model "${id}"; the manifest has: ${known.join(', ')}`);
  }
  if (entry.task !== task) throw new Error(`Model "${id}" is a ${entry.task} model, not ${task}`);
  return entry as Extract<ModelEntry, { task: T }>;
}

/** The decision threshold for an embedder: the calibrated default, or null when it was never calibrated. */
export function defaultThreshold(entry: EmbedderEntry): number | null {
  return entry.thresholds ? entry.thresholds[entry.thresholds.default] : null;
}
