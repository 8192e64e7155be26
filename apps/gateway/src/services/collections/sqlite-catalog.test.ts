import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { catalogContract } from './catalog-contract.ts';
import { SqliteCatalog } from './sqlite-catalog.ts';

catalogContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-test-'));
  // A nested path: the catalog creates its directory.
  const file = join(dir, 'nested', 'catalog.sqlite');
  let catalog = new SqliteCatalog(file);
  return {
    catalog,
    async reopen() {
      await catalog.close();
      catalog = new SqliteCatalog(file);
      return catalog;
    },
    async cleanup() {
      await catalog.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteCatalog collection drops', () => {
  const face = (i: number) => ({
    id: `f${i}`,
    collectionId: 'c1',
    subjectId: `s${i % 3000}`,
    sha256: 'ab'.repeat(32),
    quality: { passed: true, reasons: [] },
    box: { x: 0, y: 0, width: 1, height: 1 },
    createdAt: '2026-11-24T00:00:00.000Z',
  });
  const collection = { id: 'c1', tenant: 't', name: 'big', embedder: 'e', dimension: 128, threshold: 0.3, targetFar: null, createdAt: '2026-11-24T00:00:00.000Z' };

  it('drops a large collection in chunks, letting other work run in between, and frees the name at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-drop-'));
    const file = join(dir, 'catalog.sqlite');
    let catalog = new SqliteCatalog(file);
    try {
      await catalog.createCollection(collection);
      await catalog.addFace(face(0), undefined);
      await catalog.close();
      // Bulk rows in one transaction (addFace commits with fsync each time: too slow for thousands in a test).
      const db = new DatabaseSync(file);
      db.exec('BEGIN');
      const subject = db.prepare("INSERT OR IGNORE INTO subjects (collection_id, subject_id, created_at) VALUES ('c1', ?, 'x')");
      const row = db.prepare("INSERT INTO faces (id, collection_id, subject_id, sha256, quality, box, created_at) VALUES (?, 'c1', ?, 's', '{}', '{}', 'x')");
      for (let i = 1; i < 12_000; i++) {
        subject.run(`s${i % 3000}`);
        row.run(`f${i}`, `s${i % 3000}`);
      }
      db.exec('COMMIT');
      db.close();
      catalog = new SqliteCatalog(file);
      expect(await catalog.countFaces('c1')).toBe(12_000);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 0);
      const dropping = catalog.deleteCollection('c1');
      // Already gone for readers, and the name can be taken again while the rows are still being purged.
      expect(await catalog.getCollection('t', 'big')).toBeNull();
      expect(await catalog.createCollection({ ...collection, id: 'c2' })).toBe(true);
      expect(await dropping).toBe(true);
      clearInterval(timer);
      expect(ticks).toBeGreaterThan(0);
      expect(await catalog.countFaces('c1')).toBe(0);
      expect(await catalog.countSubjects('c1')).toBe(0);
      expect((await catalog.getCollection('t', 'big'))?.id).toBe('c2');
    } finally {
      await catalog.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finishes at the next open a drop that a crash interrupted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-drop-'));
    const file = join(dir, 'catalog.sqlite');
    let catalog = new SqliteCatalog(file);
    try {
      await catalog.createCollection(collection);
      for (let i = 0; i < 50; i++) await catalog.addFace(face(i), undefined);
      await catalog.close();
      // What a crash right after the first step leaves: hidden, renamed, rows still there.
      const db = new DatabaseSync(file);
      db.exec("UPDATE collections SET deleting = 1, name = '~' || id WHERE id = 'c1'");
      db.close();
      catalog = new SqliteCatalog(file);
      expect(await catalog.countFaces('c1')).toBe(0);
      expect(await catalog.getCollectionById('c1')).toBeNull();
      expect(await catalog.createCollection({ ...collection, id: 'c3' })).toBe(true);
    } finally {
      await catalog.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
