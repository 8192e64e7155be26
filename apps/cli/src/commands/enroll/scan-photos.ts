import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, EXIT } from '../../exit-codes.ts';

export interface Photo {
  /** `<subject_id>/<file>`: the upload's file name, its key in the manifest and its ref in the job's items. */
  ref: string;
  path: string;
  subjectId: string;
  size: number;
}

const IMAGE = /\.(jpe?g|png|webp)$/i;
const SUBJECT_MAX = 128;

/**
 * `<dir>/<subject_id>/*.{jpg,jpeg,png,webp}`, in a stable order (subjects, then files, by name) so chunks
 * and their idempotency keys come out the same on every run. Symlinked folders and files are followed.
 */
export function scanPhotos(dir: string): Photo[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (err) {
    throw new CliError(EXIT.usage, `cannot read ${dir}: ${(err as Error).message}`);
  }
  const photos: Photo[] = [];
  for (const subjectId of entries) {
    const subjectDir = join(dir, subjectId);
    if (subjectId.startsWith('.') || !statSync(subjectDir).isDirectory()) continue;
    if (subjectId.length > SUBJECT_MAX) throw new CliError(EXIT.usage, `subject folder names are subject ids of at most ${SUBJECT_MAX} characters: ${subjectDir}`);
    for (const file of readdirSync(subjectDir).sort()) {
      if (!IMAGE.test(file)) continue;
      const path = join(subjectDir, file);
      const stat = statSync(path);
      if (stat.isFile()) photos.push({ ref: `${subjectId}/${file}`, path, subjectId, size: stat.size });
    }
  }
  if (photos.length === 0) throw new CliError(EXIT.usage, `no photos in ${dir}: expected ${dir}/<subject_id>/*.{jpg,jpeg,png,webp}`);
  return photos;
}
