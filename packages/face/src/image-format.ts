/**
 * Names the container from its magic bytes, so a refusal can say what was sent ("PGM", "HEIC") even when
 * the decoder only reports "unsupported image format".
 */
export function sniffImageFormat(buf: Uint8Array): string | null {
  const b = (i: number): number => buf[i] ?? -1;
  const ascii = (start: number, len: number): string =>
    String.fromCharCode(...buf.subarray(start, Math.min(buf.length, start + len)));
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'JPEG';
  if (b(0) === 0x89 && ascii(1, 3) === 'PNG') return 'PNG';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') return 'WebP';
  if (ascii(0, 4) === 'GIF8') return 'GIF';
  if ((b(0) === 0x49 && b(1) === 0x49 && b(2) === 0x2a) || (b(0) === 0x4d && b(1) === 0x4d && b(3) === 0x2a)) return 'TIFF';
  if (ascii(4, 4) === 'ftyp') {
    const brand = ascii(8, 4);
    if (brand.startsWith('avi')) return 'AVIF';
    if (/^(heic|heix|hevc|heim|heis|mif1|msf1)$/.test(brand)) return 'HEIC';
    return `ISO-BMFF (${brand.trim()})`;
  }
  if (b(0) === 0x42 && b(1) === 0x4d) return 'BMP';
  if (b(0) === 0x50 && b(1) >= 0x31 && b(1) <= 0x37 && /\s/.test(String.fromCharCode(b(2)))) {
    return ['PBM', 'PGM', 'PPM', 'PBM', 'PGM', 'PPM', 'PAM'][b(1) - 0x31]!;
  }
  if (ascii(0, 4) === '8BPS') return 'PSD';
  if (b(0) === 0x00 && b(1) === 0x00 && b(2) === 0x01 && b(3) === 0x00) return 'ICO';
  if (b(0) === 0xff && b(1) === 0x0a) return 'JPEG XL';
  if (ascii(0, 5) === '%PDF-') return 'PDF';
  if (/^\s*(<\?xml|<svg)/i.test(ascii(0, 64))) return 'SVG';
  return null;
}
