import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../../exit-codes.ts';
import { scanPhotos } from './scan-photos.ts';

const root = mkdtempSync(join(tmpdir(), 'facerec-scan-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('scanPhotos', () => {
  it('lists <subject>/<image> in name order, following symlinks and skipping everything else', () => {
    const dir = join(root, 'set');
    for (const [subject, files] of [['bob', ['2.png', '10.JPG', 'notes.txt']], ['alice', ['a.webp', 'b.jpeg']], ['.cache', ['x.jpg']]] as const) {
      mkdirSync(join(dir, subject), { recursive: true });
      for (const f of files) writeFileSync(join(dir, subject, f), 'x'.repeat(f.length));
    }
    writeFileSync(join(dir, 'stray.jpg'), 'x');
    mkdirSync(join(root, 'elsewhere', 'carol'), { recursive: true });
    writeFileSync(join(root, 'elsewhere', 'carol', '1.jpg'), 'xyz');
    symlinkSync(join(root, 'elsewhere', 'carol'), join(dir, 'carol'));
    const photos = scanPhotos(dir);
    expect(photos.map((p) => p.ref)).toEqual(['alice/a.webp', 'alice/b.jpeg', 'bob/10.JPG', 'bob/2.png', 'carol/1.jpg']);
    expect(photos.find((p) => p.ref === 'carol/1.jpg')).toMatchObject({ subjectId: 'carol', size: 3 });
  });

  it('is a usage error for a missing folder, a folder without photos, or a subject id over 128 characters', () => {
    expect(() => scanPhotos(join(root, 'missing'))).toThrow(CliError);
    mkdirSync(join(root, 'empty', 'nobody'), { recursive: true });
    expect(() => scanPhotos(join(root, 'empty'))).toThrow(/no photos/);
    mkdirSync(join(root, 'long', 'x'.repeat(129)), { recursive: true });
    expect(() => scanPhotos(join(root, 'long'))).toThrow(/at most 128/);
  });
});
