import { readFileSync } from 'node:fs';
import type { EnrollManifestEntry } from '@facerec/client';
import { CliError, EXIT } from '../../exit-codes.ts';
import type { Photo } from './scan-photos.ts';

export type Override = Exclude<EnrollManifestEntry, string> extends infer E ? Omit<E, 'subject_id'> : never;

/**
 * `--manifest <file.json>`: per-photo extras keyed by `<subject_id>/<file>`, e.g. which face of a group
 * photo to enroll after a `multiple_faces` refusal: `{"alice/3.jpg": {"face_index": 1, "metadata": {…}}}`.
 */
export function readOverrides(path: string | undefined, photos: Photo[]): Map<string, Override> {
  const overrides = new Map<string, Override>();
  if (!path) return overrides;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CliError(EXIT.usage, `--manifest ${path}: ${(err as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new CliError(EXIT.usage, `--manifest ${path}: must be a JSON object keyed by <subject_id>/<file>`);
  const known = new Set(photos.map((p) => p.ref));
  for (const [ref, value] of Object.entries(raw)) {
    if (!known.has(ref)) throw new CliError(EXIT.usage, `--manifest ${path}: "${ref}" is not a photo of the folder (keys are <subject_id>/<file>)`);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CliError(EXIT.usage, `--manifest ${path}: "${ref}" must map to an object`);
    const { face_index, face_box, metadata } = value as Record<string, unknown>;
    overrides.set(ref, {
      ...(face_index !== undefined ? { face_index: face_index as number } : {}),
      ...(face_box !== undefined ? { face_box: face_box as { x: number; y: number; width: number; height: number } } : {}),
      ...(metadata !== undefined ? { metadata: metadata as Record<string, unknown> } : {}),
    });
  }
  return overrides;
}

export function manifestEntry(photo: Photo, override: Override | undefined): EnrollManifestEntry {
  return override ? { subject_id: photo.subjectId, ...override } : photo.subjectId;
}
