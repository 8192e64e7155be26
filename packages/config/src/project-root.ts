import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The root package's name: the folder holding it is where `models/`, `data/` and the version come from. */
const ROOT_PACKAGE = 'facerec';

function readPackage(dir: string): { name?: string; version?: string } | undefined {
  const file = join(dir, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }) : undefined;
}

/**
 * Walks up from this module to the folder whose package.json is the root package. A fixed relative path
 * would not do: this file runs from packages/config/src/ in development and from the bundle in dist/ once
 * built (`npm run build`), two and zero folders below the root.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (readPackage(dir)?.name === ROOT_PACKAGE) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json named "${ROOT_PACKAGE}" in ${from} or any folder above it`);
  }
}

/** The project's root folder, so defaults work from any working directory. */
export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** The root package.json's version: what the service reports as its own. */
export const projectVersion = readPackage(projectRoot)?.version ?? '0.0.0';
