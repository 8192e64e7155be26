import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InvalidImageError } from '@facerec/errors';
import { decodeImage, decodeRegion } from './decode-image.ts';
import { sniffImageFormat } from './image-format.ts';
import { readFace } from './test-fixtures.ts';

const opts = { maxImagePixels: 40_000_000 };

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidImageError);
    return (err as InvalidImageError).code;
  }
}

/** A PNG whose header claims width x height; the pixel data is a stub that must never be decoded. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('decodeImage', () => {
  it('decodes a JPEG to packed RGB', async () => {
    const img = await decodeImage(await readFace('facescrub/Aaron_Eckhart/4.jpg'), opts);
    expect(img.format).toBe('jpeg');
    expect(img.data.length).toBe(img.width * img.height * 3);
  });

  it('expands greyscale PNG to three channels', async () => {
    const img = await decodeImage(await readFace('faceapijs_bbt/amy/1.png'), opts);
    expect([img.width, img.height, img.format]).toEqual([150, 150, 'png']);
    expect(img.data.length).toBe(150 * 150 * 3);
    expect(img.data[300]).toBe(img.data[301]);
  });

  it('reads WebP', async () => {
    const img = await decodeImage(await readFace('deepface_tests/id03/3.webp'), opts);
    expect(img.format).toBe('webp');
    expect(img.width).toBeGreaterThan(0);
  });

  it('applies EXIF orientation', async () => {
    const src = await readFace('facescrub/Aaron_Eckhart/4.jpg'); // 185x252
    const rotated = await sharp(src).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const img = await decodeImage(rotated, opts);
    expect([img.width, img.height]).toEqual([252, 185]);
  });

  it('reads any JPEG size and EXIF orientation as libvips does, whether it fits maxSide (header read in JS) or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 260 }),
        fc.integer({ min: 1, max: 260 }),
        fc.integer({ min: 0, max: 8 }), // 0: no EXIF block at all
        fc.integer({ min: 8, max: 300 }),
        fc.integer({ min: 0, max: 255 }),
        async (w, h, orientation, maxSide, seed) => {
          const pixels = Buffer.alloc(w * h * 3);
          for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37 + seed * (i >> 7)) & 255;
          let enc = sharp(pixels, { raw: { width: w, height: h, channels: 3 } });
          if (orientation > 0) enc = enc.withMetadata({ orientation });
          const jpeg = await enc.jpeg().toBuffer();
          const img = await decodeImage(jpeg, { ...opts, maxSide });
          const [sw, sh] = orientation >= 5 ? [h, w] : [w, h];
          expect([img.sourceWidth, img.sourceHeight, img.format]).toEqual([sw, sh, 'jpeg']);
          if (Math.max(sw, sh) <= maxSide) {
            expect([img.width, img.height, img.scale]).toEqual([sw, sh, 1]);
            expect(Buffer.from(img.data).equals(await sharp(jpeg).rotate().raw().toBuffer())).toBe(true);
          } else {
            expect(Math.max(img.width, img.height)).toBe(maxSide);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses PGM as unsupported_format and names it', async () => {
    const pgm = await readFace('att_orl/s1/1.pgm');
    expect(sniffImageFormat(pgm)).toBe('PGM');
    await expect(decodeImage(pgm, opts)).rejects.toThrow(/PGM/);
    expect(await codeOf(decodeImage(pgm, opts))).toBe('unsupported_format');
  });

  it('maps empty, random and truncated input to invalid_image / unsupported_format', async () => {
    expect(await codeOf(decodeImage(new Uint8Array(0), opts))).toBe('invalid_image');
    expect(await codeOf(decodeImage(new Uint8Array(1000).fill(7), opts))).toBe('unsupported_format');
    const jpeg = await readFace('facescrub/Aaron_Eckhart/4.jpg');
    expect(await codeOf(decodeImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)), opts))).toBe('invalid_image');
    expect(await codeOf(decodeImage(jpeg.subarray(0, 20), opts))).not.toBe('resolved');
    // A JPEG start followed by megabytes of bytes that never form a frame header.
    const garbage = Buffer.alloc(4 << 20, 0x41);
    garbage.set([0xff, 0xd8, 0xff, 0xe0]);
    expect(await codeOf(decodeImage(garbage, opts))).toBe('invalid_image');
  });

  it('refuses a decompression bomb from its header, before decoding', async () => {
    const bomb = pngHeaderOnly(30_000, 30_000);
    expect(await codeOf(decodeImage(bomb, opts))).toBe('image_too_large');
    // A real image over a small limit is refused the same way.
    expect(await codeOf(decodeImage(await readFace('faceapijs_bbt/amy/1.png'), { maxImagePixels: 100 * 100 }))).toBe('image_too_large');
  });

  it('shrinks to maxSide on load and reports the source size and scale', async () => {
    const img = await decodeImage(await readFace('facescrub/Aaron_Eckhart/4.jpg'), { ...opts, maxSide: 126 }); // 185x252
    expect([img.sourceWidth, img.sourceHeight]).toEqual([185, 252]);
    expect(img.height).toBe(126);
    expect(img.scale).toBeCloseTo(126 / 252, 2);
    const full = await decodeImage(await readFace('facescrub/Aaron_Eckhart/4.jpg'), { ...opts, maxSide: 640 });
    expect([full.width, full.height, full.scale]).toEqual([185, 252, 1]);
  });

  it('decodes a region at a scale, placed by its offsets', async () => {
    const bytes = await readFace('facescrub/Aaron_Eckhart/4.jpg');
    const full = await decodeImage(bytes, opts);
    const r = await decodeRegion(bytes, full.width, full.height, { left: 40, top: 60, width: 80, height: 100, scale: 1 });
    expect([r.width, r.height, r.offsetX, r.offsetY, r.scale]).toEqual([80, 100, 40, 60, 1]);
    expect(Array.from(r.data.subarray(0, 3))).toEqual(Array.from(full.data.subarray((60 * full.width + 40) * 3, (60 * full.width + 40) * 3 + 3)));
    // Past the image edge the region is clipped, never padded.
    const half = await decodeRegion(bytes, full.width, full.height, { left: -50, top: 200, width: 400, height: 400, scale: 0.5 });
    expect([half.offsetX, half.offsetY, half.width, half.height]).toEqual([0, 100, 93, 26]);
  });
});

