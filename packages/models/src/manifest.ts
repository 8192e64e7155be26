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
  /** A file name in MODELS_DIR (no folders: models:prepare copies it from MODELS_MIRROR by that name). */
  file: z.string().regex(/^[^/\\]+$/, 'a file name, without folders'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Pinned upstream location; absent for a file the user supplies locally (MODELS_DIR or MODELS_MIRROR). */
  url: z.url().optional(),
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

/** How the liveness threshold was chosen: `npm run bench:liveness` on the genuine photos and the attack samples. */
export const livenessThresholdSchema = z.object({
  value: z.number().min(0).max(1),
  dataset: z.string(),
  /** Share of the genuine faces scored below `value` (false rejections). */
  genuine_rejected: z.number().min(0).max(1),
  genuine_faces: z.number().int(),
  measured_at: z.string(),
});

/**
 * A passive (single-frame) presentation-attack classifier: a box `crop_scale` times the detector's face box,
 * resized to `input.size`, in; class logits out, softmaxed; the score is the probability of `live_class`.
 */
export const livenessEntry = z.object({
  ...common,
  task: z.literal('liveness'),
  crop_scale: z.number().positive(),
  live_class: z.number().int().min(0),
  threshold: livenessThresholdSchema.nullable(),
});
export const manifestSchema = z
  .object({
    $comment: z.string().optional(),
    models: z.array(z.discriminatedUnion('task', [detectorEntry, embedderEntry, livenessEntry])),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.models.forEach((entry, i) => {
      if (seen.has(entry.id)) ctx.addIssue({ code: 'custom', path: ['models', i, 'id'], message: `model id "${entry.id}" appears twice` });
      seen.add(entry.id);
    });
  });

export type DetectorEntry = z.infer<typeof detectorEntry>;
export type EmbedderEntry = z.infer<typeof embedderEntry>;
export type LivenessEntry = z.infer<typeof livenessEntry>;
export type ModelEntry = DetectorEntry | EmbedderEntry | LivenessEntry;
export type ModelManifest = z.infer<typeof manifestSchema>;
export type Thresholds = z.infer<typeof thresholdsSchema>;

/** Parses and checks the manifest; a bad entry names the file, the model and the field. */
export async function loadManifest(path: string): Promise<ModelManifest> {
  const raw = JSON.parse(await readFile(path, 'utf8')) as unknown;
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const models = (raw as { models?: Array<{ id?: unknown }> } | null)?.models;
    const issues = parsed.error.issues.map((i) => {
      const at = i.path[0] === 'models' && typeof i.path[1] === 'number' ? `model ${JSON.stringify(models?.[i.path[1]]?.id ?? i.path[1])}: ${i.path.slice(2).join('.') || '(entry)'}` : i.path.join('.');
      return `  - ${at}: ${i.message}`;
    });
    throw new Error(`The model manifest ${path} is invalid:\n${issues.join('\n')}`);
  }
  return parsed.data;
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
