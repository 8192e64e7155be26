import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InvalidImageError, NoFaceError } from '@facerec/errors';
import { animatedFormat, explainImageError } from './image-notes.ts';

const frame = (r: number) => sharp({ create: { width: 24, height: 16, channels: 3, background: { r, g: 40, b: 90 } } }).png().toBuffer();

describe('animatedFormat', async () => {
  const frames = [await frame(255), await frame(0), await frame(120)];
  const animatedGif = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
  const animatedWebp = await sharp(frames, { join: { animated: true } }).webp().toBuffer();

  it('tells animated GIF and WebP from still ones', async () => {
    expect(animatedFormat(animatedGif)).toBe('GIF');
    expect(animatedFormat(animatedWebp)).toBe('WebP');
    expect(animatedFormat(await sharp(frames[0]).gif().toBuffer())).toBeNull();
    expect(animatedFormat(await sharp(frames[0]).webp().toBuffer())).toBeNull();
    expect(animatedFormat(frames[0]!)).toBeNull();
    expect(animatedFormat(await sharp(frames[0]).jpeg().toBuffer())).toBeNull();
  });

  it('never throws on any prefix or corruption of an animation, or on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.nat(animatedGif.length), fc.nat(animatedGif.length), fc.nat(255), (cut, at, byte) => {
        for (const base of [animatedGif, animatedWebp]) {
          const bytes = Uint8Array.from(base.subarray(0, cut));
          if (at < bytes.length) bytes[at] = byte;
          expect(() => animatedFormat(bytes)).not.toThrow();
        }
      }),
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
      expect(() => animatedFormat(bytes)).not.toThrow();
    }));
  });
});

describe('explainImageError', () => {
  it('restates an unsupported format with exactly the accepted formats', () => {
    const bmp = Buffer.from('BM\0\0\0\0\0\0\0\0', 'latin1');
    const err = explainImageError(new InvalidImageError('Unsupported image format (BMP); send JPEG, PNG or WebP', 'unsupported_format'), bmp);
    expect(err).toMatchObject({ code: 'unsupported_format', message: 'Unsupported image format (BMP); send JPEG, PNG, WebP, GIF, TIFF or AVIF' });
  });

  it('calls a HEIC that failed to decode unsupported, and leaves other errors alone', () => {
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic', 'latin1'), Buffer.alloc(16)]);
    expect(explainImageError(new InvalidImageError('Image could not be decoded (corrupt or truncated)'), heic)).toMatchObject({
      code: 'unsupported_format',
      message: expect.stringContaining('(HEIC)'),
    });
    const noFace = new NoFaceError();
    expect(explainImageError(noFace, heic)).toBe(noFace);
    const plain = new Error('thread restarted');
    expect(explainImageError(plain, heic)).toBe(plain);
  });
});
