import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CollectionRow, FaceRow } from './catalog.ts';
import { SqliteCatalog } from './sqlite-catalog.ts';

const collection = (tenant: string, name: string, id = `c_${tenant}_${name}`): CollectionRow => ({
  id,
  tenant,
  name,
  embedder: 'mobilefacenet',
  dimension: 128,
  threshold: 0.36,
  targetFar: null,
  createdAt: '2026-11-24T00:00:00.000Z',
});

const face = (collectionId: string, subjectId: string, id: string): FaceRow => ({
  id,
  collectionId,
  subjectId,
  sha256: 'ab'.repeat(32),
  quality: { passed: true, reasons: [] },
  box: { x: 1, y: 2, width: 30, height: 40 },
  createdAt: '2026-11-24T00:00:00.000Z',
});

describe('SqliteCatalog', () => {
  let dir: string;
  let file: string;
  let catalog: SqliteCatalog;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalog-test-'));
    file = join(dir, 'nested', 'catalog.sqlite');
    catalog = new SqliteCatalog(file);
  });
  afterEach(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps collection names unique per tenant, not across tenants', () => {
    expect(catalog.createCollection(collection('a', 'staff'))).toBe(true);
    expect(catalog.createCollection(collection('a', 'staff', 'c_other'))).toBe(false);
    expect(catalog.createCollection(collection('b', 'staff'))).toBe(true);
    expect(catalog.getCollection('a', 'staff')?.id).toBe('c_a_staff');
    expect(catalog.getCollection('b', 'staff')?.id).toBe('c_b_staff');
    expect(catalog.getCollection('c', 'staff')).toBeNull();
    expect(catalog.listCollections('a').map((c) => c.name)).toEqual(['staff']);
  });

  it('adds a face with its subject in one step; the same id again returns the first', () => {
    catalog.createCollection(collection('a', 'staff'));
    const first = catalog.addFace(face('c_a_staff', 'alice', 'f1'), { team: 'blue' });
    expect(first).toMatchObject({ id: 'f1', subjectId: 'alice', quality: { passed: true, reasons: [] } });
    const again = catalog.addFace({ ...face('c_a_staff', 'alice', 'f1'), createdAt: '2030-01-01T00:00:00.000Z' }, undefined);
    expect(again.createdAt).toBe(first.createdAt);
    catalog.addFace(face('c_a_staff', 'alice', 'f2'), undefined);
    expect(catalog.getSubject('c_a_staff', 'alice')).toMatchObject({ metadata: { team: 'blue' }, faceCount: 2 });
    catalog.addFace(face('c_a_staff', 'alice', 'f3'), { team: 'red' });
    expect(catalog.getSubject('c_a_staff', 'alice')?.metadata).toEqual({ team: 'red' });
    expect(catalog.countFaces('c_a_staff')).toBe(3);
    expect(catalog.knownFaceIds('c_a_staff', ['f1', 'f3', 'ghost'])).toEqual(new Set(['f1', 'f3']));
    expect(catalog.knownFaceIds('c_b_staff', ['f1'])).toEqual(new Set());
  });

  it('pages subjects in subject_id order after a cursor', () => {
    catalog.createCollection(collection('a', 'staff'));
    for (const s of ['carol', 'alice', 'bob', 'dave']) catalog.addFace(face('c_a_staff', s, `f-${s}`), undefined);
    expect(catalog.listSubjects('c_a_staff', { limit: 2 }).map((s) => s.subjectId)).toEqual(['alice', 'bob']);
    expect(catalog.listSubjects('c_a_staff', { after: 'bob', limit: 10 }).map((s) => s.subjectId)).toEqual(['carol', 'dave']);
    expect(catalog.listSubjects('c_a_staff', { after: 'dave', limit: 10 })).toEqual([]);
  });

  it('deletes faces, subjects (with their faces) and collections (with everything)', () => {
    catalog.createCollection(collection('a', 'staff'));
    catalog.addFace(face('c_a_staff', 'alice', 'f1'), undefined);
    catalog.addFace(face('c_a_staff', 'alice', 'f2'), undefined);
    catalog.addFace(face('c_a_staff', 'bob', 'f3'), undefined);
    expect(catalog.deleteFace('c_a_staff', 'f1')).toBe(true);
    expect(catalog.deleteFace('c_a_staff', 'f1')).toBe(false);
    expect(catalog.listFaces('c_a_staff', 'alice').map((f) => f.id)).toEqual(['f2']);
    expect(catalog.deleteSubject('c_a_staff', 'alice')).toBe(true);
    expect(catalog.getFace('c_a_staff', 'f2')).toBeNull();
    expect(catalog.deleteSubject('c_a_staff', 'alice')).toBe(false);
    expect(catalog.deleteCollection('c_a_staff')).toBe(true);
    expect(catalog.getFace('c_a_staff', 'f3')).toBeNull();
    expect(catalog.countSubjects('c_a_staff')).toBe(0);
    expect(catalog.getCollection('a', 'staff')).toBeNull();
  });

  it('survives reopening the file: what was committed is there', () => {
    catalog.createCollection(collection('a', 'staff'));
    catalog.addFace(face('c_a_staff', 'alice', 'f1'), { x: 1 });
    catalog.close();
    catalog = new SqliteCatalog(file);
    expect(catalog.getCollection('a', 'staff')?.threshold).toBe(0.36);
    expect(catalog.getSubject('c_a_staff', 'alice')).toMatchObject({ metadata: { x: 1 }, faceCount: 1 });
  });
});
