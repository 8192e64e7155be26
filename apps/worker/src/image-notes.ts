import { InvalidImageError, isFaceRecError } from '@facerec/errors';
import { sniffImageFormat } from '@facerec/face';

/**
 * What the decoder reads (packages/face decode-image.ts accepts jpeg, png, webp, gif, tiff and heif, and
 * the heif support in sharp's prebuilt libvips decodes AV1, i.e. AVIF, only).
 */
export const ACCEPTED_FORMATS = 'JPEG, PNG, WebP, GIF, TIFF or AVIF';

/**
 * The decoder's refusal of a format, restated with the formats that are accepted; any other error as it
 * was. A HEIC photo (HEVC-coded HEIF) is read as HEIF by the header and fails only at decoding, which
 * would otherwise read as a corrupt file.
 */
export function explainImageError(err: unknown, image: Uint8Array): unknown {
  if (!isFaceRecError(err)) return err;
  const sniffed = sniffImageFormat(image);
  if (err.code === 'unsupported_format' || (err.code === 'invalid_image' && sniffed === 'HEIC')) {
    const what = sniffed ? `Unsupported image format (${sniffed})` : 'Unsupported or unrecognised image format';
    return new InvalidImageError(`${what}; send ${ACCEPTED_FORMATS}`, 'unsupported_format', { cause: err });
  }
  return err;
}

/**
 * 'GIF', 'WebP' or 'PNG' when the bytes hold an animation (more than one frame), else null. The pipeline
 * reads the first frame only, so a "no face" answer for an animation has to say so. Reads headers and
 * chunk/block lengths only, never pixel data, and stops at anything malformed.
 */
export function animatedFormat(buf: Uint8Array): string | null {
  const format = sniffImageFormat(buf);
  if (format === 'GIF') return gifFrames(buf) > 1 ? 'GIF' : null;
  if (format === 'WebP') return webpAnimated(buf) ? 'WebP' : null;
  if (format === 'PNG') return apngFrames(buf) > 1 ? 'PNG' : null;
  return null;
}

const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
const ascii = (b: Uint8Array, i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n));

/** Image descriptors in a GIF, counted by walking its blocks (GIF89a spec); up to 2 is all we need. */
function gifFrames(b: Uint8Array): number {
  if (b.length < 13) return 0;
  let i = 13;
  if (b[10]! & 0x80) i += 3 * (1 << ((b[10]! & 0x07) + 1));
  let frames = 0;
  const skipSubBlocks = (at: number) => {
    let j = at;
    while (j < b.length && b[j] !== 0) j += b[j]! + 1;
    return j + 1;
  };
  while (i < b.length && frames < 2) {
    const block = b[i];
    if (block === 0x3b) break;
    if (block === 0x21) i = skipSubBlocks(i + 2);
    else if (block === 0x2c) {
      frames++;
      if (i + 10 > b.length) break;
      const packed = b[i + 9]!;
      i += 10;
      if (packed & 0x80) i += 3 * (1 << ((packed & 0x07) + 1));
      i = skipSubBlocks(i + 1);
    } else break;
  }
  return frames;
}

/** The animation flag of a WebP's VP8X header. */
function webpAnimated(b: Uint8Array): boolean {
  return b.length >= 21 && ascii(b, 12, 4) === 'VP8X' && (b[20]! & 0x02) !== 0;
}

/** num_frames of an APNG's acTL chunk (it comes before the first IDAT), else 1. */
function apngFrames(b: Uint8Array): number {
  let i = 8;
  while (i + 8 <= b.length) {
    const length = u32be(b, i);
    const type = ascii(b, i + 4, 4);
    if (type === 'acTL' && i + 12 <= b.length) return u32be(b, i + 8);
    if (type === 'IDAT' || type === 'IEND') break;
    i += 12 + length;
  }
  return 1;
}
