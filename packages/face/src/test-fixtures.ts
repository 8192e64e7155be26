import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@facerec/config';
import { loadManifest, type ModelManifest } from '@facerec/models';
import type { PipelineOptions } from './options.ts';

/** Test-only helpers: the shared photo sets and the real models, located relative to this package. */
export const FACES_DIR = fileURLToPath(new URL('../../../../shared/faces/', import.meta.url));
export const MODELS_DIR = fileURLToPath(new URL('../../../models/', import.meta.url));

export function facePath(rel: string): string {
  return FACES_DIR + rel;
}

export function readFace(rel: string): Promise<Buffer> {
  return readFile(facePath(rel));
}

export function testManifest(): Promise<ModelManifest> {
  return loadManifest(MODELS_DIR + 'manifest.json');
}

/** The service's own defaults, so unit tests exercise what `npm start` runs. */
export const DEFAULT_OPTIONS: PipelineOptions = loadConfig({}, []).pipeline;
