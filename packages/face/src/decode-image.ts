import sharp, { type Metadata } from 'sharp';
import { InvalidImageError } from '@facerec/errors';
import { sniffImageFormat } from './image-format.ts';
import type { RgbImage } from './types.ts';

/** Formats we accept; SVG/PDF are refused because rasterising them is a different attack surface. */
const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif']);

export interface DecodedImage extends RgbImage {
  /** sharp's format name of the input ('jpeg', 'png', 'webp', ...). */
  format: string;
}

export interface DecodeOptions {
  maxImagePixels: number;
}

function unsupported(buf: Uint8Array, cause?: unknown): InvalidImageError {
  const sniffed = sniffImageFormat(buf);
  const what = sniffed ? `Unsupported image format (${sniffed})` : 'Unsupported or unrecognised image format';
  return new InvalidImageError(`${what}; send JPEG, PNG or WebP`, 'unsupported_format', cause ? { cause } : undefined);
}

function tooLarge(width: number, height: number, limit: number): InvalidImageError {
  return new InvalidImageError(
    `Image is ${width}x${height} = ${width * height} pixels, over the limit of ${limit}`,
    'image_too_large',
  );
}

/**
 * Decodes to packed RGB after EXIF orientation. Every sharp failure leaves as an InvalidImageError, and the
 * pixel limit is checked on the header first so a decompression bomb costs nothing.
 */
export async function decodeImage(buf: Uint8Array, opts: DecodeOptions): Promise<DecodedImage> {
  if (buf.length === 0) throw new InvalidImageError('Image is empty (0 bytes)', 'invalid_image');
  let meta: Metadata;
  try {
    meta = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch (err) {
    const msg = (err as Error).message ?? '';
    if (/unsupported image format/i.test(msg)) throw unsupported(buf, err);
    throw new InvalidImageError('Image could not be read (corrupt or truncated)', 'invalid_image', { cause: err });
  }
  const format = meta.format ?? 'unknown';
  if (!ACCEPTED.has(format)) throw unsupported(buf);
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (w <= 0 || h <= 0) throw new InvalidImageError('Image has no pixels', 'invalid_image');
  if (w * h > opts.maxImagePixels) throw tooLarge(w, h, opts.maxImagePixels);

  try {
    const { data, info } = await sharp(buf, { limitInputPixels: opts.maxImagePixels, failOn: 'error', pages: 1 })
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels after conversion, got ${info.channels}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, format };
  } catch (err) {
    const msg = (err as Error).message ?? '';
    if (/pixel limit/i.test(msg)) throw tooLarge(w, h, opts.maxImagePixels);
    throw new InvalidImageError('Image could not be decoded (corrupt or truncated)', 'invalid_image', { cause: err });
  }
}
