import { type ClientData, expectData, FacerecApiError } from '@facerec/client';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { fixed } from '../output/printer.ts';
import type { CommandContext } from './context.ts';
import { readImage } from './read-image.ts';

export interface IdentifyOptions {
  collection: string;
  topK?: number;
  threshold?: number;
  targetFpir?: number;
}

function describeFace(face: ClientData<'identify'>['faces'][number], n: number): string {
  const b = face.box;
  const where = `face ${n} at (${Math.round(b.x)},${Math.round(b.y)}) ${Math.round(b.width)}x${Math.round(b.height)}`;
  const top = face.top ? `${face.top.subject_id}  similarity ${fixed(face.top.similarity)}  margin ${fixed(face.top.margin)}` : 'nobody enrolled';
  const quality = face.quality.passed ? '' : `  quality: ${face.quality.reasons.join(', ')}`;
  return `  ${where}  ${face.decision.padEnd(9)}  ${top}${quality}`;
}

/** `facerec identify <image…> -c <collection>`: every face of every image, its 1:N decision and best subject. */
export async function runIdentify(images: string[], opts: IdentifyOptions, ctx: CommandContext): Promise<ExitCode> {
  const { client, printer } = ctx;
  let failures = 0;
  for (const path of images) {
    const image = await readImage(path);
    try {
      const answer = expectData(
        await client.identify(opts.collection, { image, top_k: opts.topK ?? 5, threshold: opts.threshold, target_fpir: opts.targetFpir }),
      );
      printer.record({ image: path, ...answer });
      printer.line(`${path}: ${answer.faces.length} face${answer.faces.length === 1 ? '' : 's'} (threshold ${fixed(answer.threshold)})`);
      answer.faces.forEach((face, i) => printer.line(describeFace(face, i + 1)));
    } catch (err) {
      if (!(err instanceof FacerecApiError)) throw err;
      failures++;
      printer.record({ image: path, success: false, status: err.status, code: err.code, message: err.message });
      printer.line(`${path}: ${err.code}: ${err.message}`);
      if (images.length === 1) throw err;
    }
  }
  if (failures === 0) return EXIT.ok;
  return failures === images.length ? EXIT.service : EXIT.partial;
}
