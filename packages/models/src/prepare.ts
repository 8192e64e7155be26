import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelEntry } from './manifest.ts';

export class ModelUnavailableError extends Error {
  constructor(entry: ModelEntry, tried: string[]) {
    super(
      `Model "${entry.id}" (${entry.file}, sha256 ${entry.sha256.slice(0, 12)}…) is unavailable.\n` +
        `Looked in:\n${tried.map((t) => `  - ${t}`).join('\n')}\n` +
        (entry.url
          ? `Fix: copy the file into MODELS_DIR, point MODELS_MIRROR at a folder holding it, or allow network access to ${entry.url}; then run \`npm run models:prepare\`.`
          : 'Fix: this model has no upstream URL (a file you supply): copy it into MODELS_DIR or MODELS_MIRROR, check its sha256 against the manifest, then run `npm run models:prepare`.'),
    );
    this.name = 'ModelUnavailableError';
  }
}

export interface PrepareOptions {
  modelsDir: string;
  mirrorDir?: string | undefined;
  /** Download from the pinned upstream URL as a last resort. */
  allowDownload?: boolean;
  downloadTimeoutMs?: number;
  log?: (line: string) => void;
}

export type PrepareOutcome = 'present' | 'copied' | 'downloaded';

async function sha256Of(path: string): Promise<string | null> {
  try {
    return createHash('sha256').update(await readFile(path)).digest('hex');
  } catch {
    return null;
  }
}

/**
 * Makes `<modelsDir>/<file>` exist with the manifest's hash. Idempotent: a present file with the right hash
 * is left alone. Every candidate is verified before it replaces anything, so a bad mirror cannot corrupt a
 * good install.
 */
export async function prepareModel(entry: ModelEntry, opts: PrepareOptions): Promise<PrepareOutcome> {
  const target = join(opts.modelsDir, entry.file);
  const tried: string[] = [];
  const present = await sha256Of(target);
  if (present === entry.sha256) return 'present';
  tried.push(present ? `${target} (wrong sha256 ${present.slice(0, 12)}…)` : `${target} (missing)`);
  await mkdir(opts.modelsDir, { recursive: true });
  const staging = `${target}.partial`;

  if (opts.mirrorDir) {
    const source = join(opts.mirrorDir, entry.file);
    const hash = await sha256Of(source);
    if (hash === entry.sha256) {
      await copyFile(source, staging);
      await rename(staging, target);
      opts.log?.(`models: ${entry.file} copied from ${opts.mirrorDir}`);
      return 'copied';
    }
    tried.push(hash ? `${source} (wrong sha256 ${hash.slice(0, 12)}…)` : `${source} (missing)`);
  }

  if (opts.allowDownload && entry.url) {
    const url = entry.url;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(opts.downloadTimeoutMs ?? 60_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      const hash = createHash('sha256').update(bytes).digest('hex');
      if (hash !== entry.sha256) throw new Error(`wrong sha256 ${hash.slice(0, 12)}…`);
      await writeFile(staging, bytes);
      await rename(staging, target);
      opts.log?.(`models: ${entry.file} downloaded from ${url}`);
      return 'downloaded';
    } catch (err) {
      tried.push(`${url} (${(err as Error).message})`);
    }
  }
  throw new ModelUnavailableError(entry, tried);
}

export async function prepareModels(entries: readonly ModelEntry[], opts: PrepareOptions): Promise<Record<string, PrepareOutcome>> {
  const out: Record<string, PrepareOutcome> = {};
  for (const entry of entries) out[entry.id] = await prepareModel(entry, opts);
  return out;
}
