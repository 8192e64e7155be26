import { createHash } from 'node:crypto';

/**
 * The batch crash tests submit from a child process: the same bytes every time, so the parent knows each
 * item's expected result and a resubmission carries the same body.
 */
export function crashBatchImages(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => {
    const head = Buffer.from(`okay item ${i}`.padEnd(16, '.'), 'latin1');
    let block = createHash('sha256').update(`crash-batch-${i}`).digest();
    const body: Buffer[] = [];
    for (let n = 0; n < 64; n++) body.push((block = createHash('sha256').update(block).digest()));
    return Buffer.concat([head, ...body]);
  });
}

/** The request id the crash batch is submitted with: resumed items must still carry it. */
export const CRASH_REQUEST_ID = 'crash-request-1';

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
