import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { CliError, EXIT } from '../exit-codes.ts';

/** A local image as the File the multipart helpers send (its name becomes the part's file name). */
export async function readImage(path: string): Promise<File> {
  try {
    return new File([new Uint8Array(await readFile(path))], basename(path));
  } catch (err) {
    throw new CliError(EXIT.usage, `cannot read ${path}: ${(err as Error).message}`);
  }
}
