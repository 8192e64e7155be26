import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { immediateTransaction } from './immediate-transaction.ts';

describe('immediateTransaction', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const open = (file: string) => {
    const db = new DatabaseSync(file);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 50; CREATE TABLE IF NOT EXISTS t (v INTEGER)');
    return db;
  };
  const count = (db: DatabaseSync) => Number((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n);

  it('commits what fn wrote and returns its value', () => {
    const db = open(':memory:');
    expect(immediateTransaction(db, () => db.prepare('INSERT INTO t VALUES (1), (2)').run().changes)).toBe(2);
    expect(count(db)).toBe(2);
    expect(db.isTransaction).toBe(false);
  });

  it('rolls every write back and rethrows when fn throws', () => {
    const db = open(':memory:');
    const boom = new Error('boom');
    expect(() =>
      immediateTransaction(db, () => {
        db.prepare('INSERT INTO t VALUES (1)').run();
        throw boom;
      }),
    ).toThrow(boom);
    expect(count(db)).toBe(0);
    expect(db.isTransaction).toBe(false);
  });

  it('holds the write lock from BEGIN: another connection cannot start one until it ends', () => {
    const dir = mkdtempSync(join(tmpdir(), 'facerec-sqlite-'));
    dirs.push(dir);
    const a = open(join(dir, 'db.sqlite'));
    const b = open(join(dir, 'db.sqlite'));
    immediateTransaction(a, () => {
      expect(() => immediateTransaction(b, () => 0)).toThrow(/locked|busy/i);
    });
    expect(immediateTransaction(b, () => b.prepare('INSERT INTO t VALUES (3)').run().changes)).toBe(1);
    expect(count(a)).toBe(1);
    a.close();
    b.close();
  });
});
