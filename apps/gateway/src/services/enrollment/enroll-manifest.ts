import { ValidationError } from '@facerec/errors';

type Box = { x: number; y: number; width: number; height: number };

export type ManifestValue =
  | string
  | { subject_id: string; metadata?: Record<string, unknown> | undefined; face_index?: number | undefined; face_box?: Box | undefined };

export interface ManifestEntry {
  subjectId: string;
  metadata?: Record<string, unknown>;
  faceIndex?: number;
  faceBox?: Box;
}

const listed = (names: string[]) => names.slice(0, 10).map((n) => `'${n}'`).join(', ') + (names.length > 10 ? `, and ${names.length - 10} more` : '');

/**
 * Pairs every uploaded file with its manifest entry, in upload order. Strict both ways, because a typo in
 * a manifest of thousands of lines would otherwise enroll people under the wrong name or silently skip
 * them: every file needs an entry, every entry needs a file, and file names are unique (they are the
 * item refs that results are reported under).
 */
export function parseEnrollManifest(fileNames: string[], manifest: Record<string, ManifestValue>): ManifestEntry[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const name of fileNames) (seen.has(name) ? duplicates : seen).add(name);
  if (duplicates.size > 0) {
    throw new ValidationError(`File names must be unique within a job; repeated: ${listed([...duplicates])}`, 'duplicate_file_name', {
      files: [...duplicates].slice(0, 100),
    });
  }
  const missing = fileNames.filter((name) => !Object.hasOwn(manifest, name));
  if (missing.length > 0) {
    throw new ValidationError(`The manifest has no subject for ${listed(missing)}`, 'manifest_missing_file', { files: missing.slice(0, 100) });
  }
  const unmatched = Object.keys(manifest).filter((name) => !seen.has(name));
  if (unmatched.length > 0) {
    throw new ValidationError(`The manifest names files that were not uploaded: ${listed(unmatched)}`, 'manifest_unknown_file', {
      files: unmatched.slice(0, 100),
    });
  }
  return fileNames.map((name) => {
    const value = manifest[name] as ManifestValue;
    if (typeof value === 'string') return { subjectId: value };
    return {
      subjectId: value.subject_id,
      ...(value.metadata !== undefined ? { metadata: value.metadata } : {}),
      ...(value.face_index !== undefined ? { faceIndex: value.face_index } : {}),
      ...(value.face_box !== undefined ? { faceBox: value.face_box } : {}),
    };
  });
}
