import { ValidationError } from '@facerec/errors';

/**
 * The lines of a UTF-8 byte stream (LF or CRLF), numbered from 1, without buffering the whole body. A line
 * longer than `maxLineBytes` is refused: no record of the format comes near it, and an endless one would
 * otherwise grow without bound. Blank lines are skipped; a last line without its newline still counts.
 */
export async function* readLines(body: AsyncIterable<Uint8Array>, maxLineBytes: number): AsyncGenerator<{ line: number; text: string }> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  let line = 0;
  const decode = (bytes: Uint8Array, stream: boolean) => {
    try {
      return decoder.decode(bytes, { stream });
    } catch {
      throw new ValidationError(`line ${line + 1}: not valid UTF-8`, 'invalid_import', { line: line + 1 });
    }
  };
  for await (const chunk of body) {
    pending += decode(chunk, true);
    let start = 0;
    let at: number;
    while ((at = pending.indexOf('\n', start)) >= 0) {
      const text = pending.slice(start, at).replace(/\r$/, '');
      start = at + 1;
      line++;
      if (text.trim() !== '') yield { line, text };
    }
    pending = pending.slice(start);
    if (pending.length > maxLineBytes) throw new ValidationError(`line ${line + 1}: longer than ${maxLineBytes} bytes`, 'invalid_import', { line: line + 1 });
  }
  pending += decode(new Uint8Array(0), false);
  if (pending.trim() !== '') yield { line: line + 1, text: pending.replace(/\r$/, '') };
}
