import { expectData } from '@facerec/client';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { fixed } from '../output/printer.ts';
import type { CommandContext } from './context.ts';
import { readImage } from './read-image.ts';

/** `facerec compare <a> <b>`: the primary face of each (/api/extract_feature), then /api/compare_features. */
export async function runCompare(a: string, b: string, opts: { threshold?: number }, ctx: CommandContext): Promise<ExitCode> {
  const { client, printer } = ctx;
  const [fa, fb] = await Promise.all([a, b].map(async (path) => expectData(await client.extractFeature({ image: await readImage(path) }))));
  const answer = expectData(
    await client.http.POST('/api/compare_features', { body: { feature1: fa!.feature, feature2: fb!.feature, ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}) } }),
  );
  printer.record({ a, b, similarity: answer.similarity, is_same_person: answer.is_same_person, threshold: answer.threshold, faces: [fa!.face_count, fb!.face_count] });
  printer.line(`${answer.is_same_person ? 'same person' : 'different people'}: similarity ${fixed(answer.similarity, 4)} (threshold ${fixed(answer.threshold)})`);
  for (const [path, f] of [[a, fa!], [b, fb!]] as const) {
    const notes = [f.face_count > 1 ? `${f.face_count} faces, compared the largest` : '', f.quality_passed ? '' : `quality: ${f.quality.reasons.join(', ')}`].filter(Boolean);
    if (notes.length) printer.line(`  ${path}: ${notes.join('; ')}`);
  }
  return EXIT.ok;
}
