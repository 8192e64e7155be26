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
  const collection = { id: 'c1', tenant: 't', name: 'big', embedder: 'e', dimension: 128, threshold: 0.3, targetFpir: null, targetFar: null, createdAt: '2026-11-24T00:00:00.000Z' };

  it('drops a large collection in chunks, letting other work run in between, and frees the name at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-drop-'));
    const file = join(dir, 'catalog.sqlite');
    let catalog = new SqliteCatalog(file);
    try {
      await catalog.createCollection(collection);
      await catalog.addFace(face(0), undefined, new Float32Array(128));
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
      for (let i = 0; i < 50; i++) await catalog.addFace(face(i), undefined, new Float32Array(128));
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

describe('SqliteCatalog migration', () => {
  it('opens a catalog written before open-set decisions: fixed thresholds kept, subjects and faces intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-migrate-'));
    const file = join(dir, 'catalog.sqlite');
    // The schema as the previous release created it: threshold NOT NULL, no target_fpir, no centroids.
    const db = new DatabaseSync(file);
    db.exec(`PRAGMA foreign_keys = ON;
      CREATE TABLE collections (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, name TEXT NOT NULL, embedder TEXT NOT NULL, dimension INTEGER NOT NULL,
        threshold REAL NOT NULL, target_far TEXT, created_at TEXT NOT NULL, deleting INTEGER NOT NULL DEFAULT 0, UNIQUE (tenant, name));
      CREATE TABLE subjects (collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE, subject_id TEXT NOT NULL, metadata TEXT,
        created_at TEXT NOT NULL, PRIMARY KEY (collection_id, subject_id));
      CREATE TABLE faces (id TEXT PRIMARY KEY, collection_id TEXT NOT NULL, subject_id TEXT NOT NULL, sha256 TEXT NOT NULL, quality TEXT NOT NULL,
        box TEXT NOT NULL, created_at TEXT NOT NULL, FOREIGN KEY (collection_id, subject_id) REFERENCES subjects(collection_id, subject_id) ON DELETE CASCADE);
      INSERT INTO collections VALUES ('c_old', 't', 'old', 'mobilefacenet', 128, 0.36, NULL, 'x', 0);
      INSERT INTO subjects VALUES ('c_old', 'alice', '{"a":1}', 'x');
      INSERT INTO faces VALUES ('f1', 'c_old', 'alice', 's', '{"passed":true,"reasons":[]}', '{"x":0,"y":0,"width":1,"height":1}', 'x');`);
    db.close();
    const catalog = new SqliteCatalog(file);
    try {
      expect(await catalog.getCollection('t', 'old')).toMatchObject({ threshold: 0.36, targetFpir: null, targetFar: null });
      expect(await catalog.getSubject('c_old', 'alice')).toMatchObject({ metadata: { a: 1 }, faceCount: 1 });
      const fresh = { id: 'c_new', tenant: 't', name: 'new', embedder: 'e', dimension: 4, threshold: null, targetFpir: 0.01, targetFar: null, createdAt: 'x' };
      expect(await catalog.createCollection(fresh)).toBe(true);
      expect(await catalog.getCollection('t', 'new')).toMatchObject({ threshold: null, targetFpir: 0.01 });
      // Foreign keys still hold after the table copy: dropping the old collection takes its rows.
      expect(await catalog.deleteCollection('c_old')).toBe(true);
      expect(await catalog.countFaces('c_old')).toBe(0);
    } finally {
      await catalog.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
