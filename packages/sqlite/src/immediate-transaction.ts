import type { DatabaseSync } from 'node:sqlite';

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back when it throws (and the error
 * rethrown). IMMEDIATE takes the write lock up front, so a second connection waits at BEGIN (busy_timeout) instead
 * of failing at its first write with SQLITE_BUSY halfway through. `fn` must be synchronous: node:sqlite is, and an
 * await inside would let other work run in the middle of the transaction.
 */
export function immediateTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const out = fn();
    db.exec('COMMIT');
    return out;
  } catch (err) {
    // A failed COMMIT may already have ended the transaction, and a ROLLBACK then would hide the real error.
    // (`isTransaction` is Node 22.16+; without it, roll back as before.)
    if (db.isTransaction !== false) db.exec('ROLLBACK');
    throw err;
  }
}
