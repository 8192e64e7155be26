import { readFile, writeFile } from 'node:fs/promises';
import { loadManifest, manifestSchema, type EmbedderEntry } from '@facerec/models';

/**
 * Rewrites one embedder's calibration fields in models/manifest.json. The file is re-emitted with one model
 * field per line (compact values), which keeps it readable and its diffs small.
 */
export async function writeEmbedderCalibration(
  manifestPath: string,
  embedderId: string,
  fields: Partial<Pick<EmbedderEntry, 'thresholds' | 'open_set'>>,
): Promise<void> {
  await writeModelFields(manifestPath, embedderId, 'embed', fields);
}

/** Rewrites some fields of the `task` model `id` (a measured threshold, a calibration), keeping the file's layout. */
export async function writeModelFields(manifestPath: string, id: string, task: string, fields: Record<string, unknown>): Promise<void> {
  const raw = JSON.parse(await readFile(manifestPath, 'utf8')) as { $comment?: string; models: Record<string, unknown>[] };
  const entry = raw.models.find((m) => m.id === id);
  if (!entry || entry.task !== task) throw new Error(`${task} model ${id} not found in ${manifestPath}`);
  Object.assign(entry, fields);
  manifestSchema.parse(raw);
  const models = raw.models.map((m) => '    {\n' + Object.entries(m).map(([k, v]) => `      ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n') + '\n    }');
  const text = '{\n' + (raw.$comment !== undefined ? `  "$comment": ${JSON.stringify(raw.$comment)},\n` : '') + '  "models": [\n' + models.join(',\n') + '\n  ]\n}\n';
  await writeFile(manifestPath, text);
  await loadManifest(manifestPath); // must still validate
  console.log(`wrote ${Object.keys(fields).join(' and ')} for ${id} into ${manifestPath}`);
}
