import { readFile } from 'node:fs/promises';
import type { FacePipeline, QualityMetrics } from '@facerec/face';

/** An image's primary face after the real pipeline. */
export interface EmbeddedFace {
  embedding: Float32Array;
  quality: QualityMetrics;
  passed: boolean;
  reasons: string[];
}

/** The primary face of the image at `path`, or why there is none (a string). */
export async function embedFile(pipeline: FacePipeline, path: string, flip?: boolean): Promise<EmbeddedFace | string> {
  try {
    const a = await pipeline.analyze(await readFile(path), { faces: 'primary', ...(flip !== undefined ? { flipTta: flip } : {}) });
    const f = a.faces[0];
    if (!f) return 'no face';
    return { embedding: f.embedding, quality: f.quality.metrics, passed: f.quality.passed, reasons: f.quality.reasons };
  } catch (err) {
    return `${(err as { code?: string }).code ?? 'error'}: ${(err as Error).message}`;
  }
}

/** Runs `fn` over items with `limit` in flight, preserving order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}
