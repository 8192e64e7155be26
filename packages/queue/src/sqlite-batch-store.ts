import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { immediateTransaction } from '@facerec/sqlite';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { finalState, type BatchItem, type BatchRecord, type BatchStore, type IdempotencyClaim, type ItemOutcome, type RecordOutcome } from './batch-store.ts';
import type { BatchJobName } from './job-catalog.ts';
import type { BatchState, WebhookAttempt } from './queue-port.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS batches (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  state TEXT NOT NULL,
  total INTEGER NOT NULL,
  succeeded INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  cancelled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  finished_at INTEGER,
  webhook_url TEXT,
  webhook_delivered INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS batches_by_created ON batches (created_at);
CREATE INDEX IF NOT EXISTS batches_unfinished ON batches (finished_at) WHERE finished_at IS NULL;
CREATE TABLE IF NOT EXISTS items (
  batch_id TEXT NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  ref TEXT NOT NULL,
  blob_key TEXT NOT NULL,
  options TEXT NOT NULL,
  starts INTEGER NOT NULL DEFAULT 0,
  outcome TEXT,
  PRIMARY KEY (batch_id, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS webhook_attempts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id TEXT NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  attempt TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_attempts_by_batch ON webhook_attempts (batch_id, seq);
CREATE TABLE IF NOT EXISTS idempotency (
  key TEXT PRIMARY KEY,
  batch_id TEXT NOT NULL,
  hash TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
`;

type Row = Record<string, SQLInputValue>;

/** An item of an unfinished batch that has no outcome yet: what a restarted process runs again. */
export interface PendingItem {
  index: number;
  blobKey: string;
  options: unknown;
  /** Attempts started and never finished by the processes that ran before. */
  starts: number;
}

/** Prunes run at most this often; each is one indexed DELETE. */
const PRUNE_EVERY_MS = 60_000;

function toRecord(r: Row): BatchRecord {
  return {
    id: String(r.id),
    type: String(r.type) as BatchJobName,
    state: String(r.state) as BatchState,
    total: Number(r.total),
    succeeded: Number(r.succeeded),
    failed: Number(r.failed),
    cancelled: Number(r.cancelled),
    createdAt: Number(r.created_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
    webhookUrl: r.webhook_url === null ? null : String(r.webhook_url),
    webhookDelivered: Number(r.webhook_delivered) === 1,
    requestId: r.request_id === null || r.request_id === undefined ? null : String(r.request_id),
  };
}

/**
 * Batch bookkeeping in one SQLite file: the embedded service's jobs survive a crash. Same rules as
 * RedisBatchStore (first outcome wins, counters move with it, the write that completes the set finishes the
 * batch); node:sqlite is synchronous, so each method is atomic on the event loop.
 *
 * Durability is chosen per write, because every fsync also stalls the event loop (about 3 ms on the 2-core
 * VM): accepting a batch, cancelling it and finishing it commit with synchronous=FULL (on disk before the
 * caller answers); an item's outcome or start marker commits with NORMAL (in the OS's hands, so it survives
 * a process crash, and the next FULL commit makes it durable against power loss too).
 *
 * `path` ':memory:' gives the same store without a file (the in-process queue without a data directory).
 */
export class SqliteBatchStore implements BatchStore {
  private readonly db: DatabaseSync;
  private readonly retentionMs: number;
  private lastPrune = 0;

  constructor(path: string, retentionMs: number) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.retentionMs = retentionMs;
    this.lockOrExplain(path);
    this.db.exec(SCHEMA);
    // Queues written before batches kept their creating request's id: add the column, empty for old rows.
    if (!this.all('PRAGMA table_info(batches)').some((c) => c.name === 'request_id')) this.db.exec('ALTER TABLE batches ADD COLUMN request_id TEXT');
    // A claim whose batch was never written: the process died between the two. Free the key for the retry.
    this.db.exec('DELETE FROM idempotency WHERE batch_id NOT IN (SELECT id FROM batches)');
  }

  /**
   * EXCLUSIVE: one process owns the queue. A second service on the same DATA_DIR would otherwise resume the
   * same jobs and run every item twice; it fails at start instead, saying why.
   */
  private lockOrExplain(path: string): void {
    try {
      this.db.exec('PRAGMA busy_timeout = 200; PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
      // The first write takes the exclusive lock and keeps it until the connection closes (or the process dies).
      this.db.exec('BEGIN IMMEDIATE; COMMIT;');
    } catch (err) {
      this.db.close();
      throw new Error(`The job queue at ${path} is in use by another process (${(err as Error).message}); give each service its own DATA_DIR`, { cause: err });
    }
  }

  private all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.db.prepare(sql).all(...params) as Row[];
  }

  private one(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.db.prepare(sql).get(...params) as Row | undefined;
  }

  private run(sql: string, ...params: SQLInputValue[]): number {
    return Number(this.db.prepare(sql).run(...params).changes);
  }

  /** One transaction; `durable` fsyncs its commit (and with it every NORMAL commit before it). */
  private transaction<T>(durable: boolean, fn: () => T): T {
    if (durable) this.db.exec('PRAGMA synchronous = FULL');
    try {
      return immediateTransaction(this.db, fn);
    } finally {
      if (durable) this.db.exec('PRAGMA synchronous = NORMAL');
    }
  }

  async create(r: BatchRecord, items: BatchItem[]): Promise<void> {
    this.prune(r.createdAt);
    this.transaction(true, () => {
      this.run(
        'INSERT INTO batches (id, type, state, total, created_at, webhook_url, request_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
        r.id,
        r.type,
        r.state,
        r.total,
        r.createdAt,
        r.webhookUrl,
        r.requestId ?? null,
      );
      const insert = this.db.prepare('INSERT INTO items (batch_id, idx, ref, blob_key, options) VALUES (?, ?, ?, ?, ?)');
      items.forEach((item, i) => insert.run(r.id, i, item.ref, item.blobKey, JSON.stringify(item.options ?? {})));
    });
  }

  /** Mirrors the Redis keys' TTLs, so a long-running embedded service does not grow without bound. */
  private prune(now: number): void {
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    this.transaction(false, () => {
      this.run('DELETE FROM batches WHERE created_at < ?', now - this.retentionMs);
      this.run('DELETE FROM idempotency WHERE expires_at <= ?', now);
    });
  }

  async get(id: string): Promise<BatchRecord | null> {
    const r = this.one('SELECT * FROM batches WHERE id = ?', id);
    return r ? toRecord(r) : null;
  }

  async items(id: string, start: number, count: number): Promise<BatchItem[]> {
    if (count <= 0) return [];
    return this.all('SELECT ref, blob_key FROM items WHERE batch_id = ? AND idx >= ? ORDER BY idx LIMIT ?', id, start, count).map((r) => ({
      ref: String(r.ref),
      blobKey: String(r.blob_key),
    }));
  }

  async outcomes(id: string, indices: number[]): Promise<Array<ItemOutcome | null>> {
    if (indices.length === 0) return [];
    const lo = Math.min(...indices);
    const hi = Math.max(...indices);
    const found = new Map(
      this.all('SELECT idx, outcome FROM items WHERE batch_id = ? AND idx BETWEEN ? AND ? AND outcome IS NOT NULL', id, lo, hi).map((r) => [
        Number(r.idx),
        JSON.parse(String(r.outcome)) as ItemOutcome,
      ]),
    );
    return indices.map((i) => found.get(i) ?? null);
  }

  async markRunning(id: string, index: number): Promise<void> {
    this.transaction(false, () => {
      this.run("UPDATE batches SET state = 'running' WHERE id = ? AND state = 'queued'", id);
      this.run('UPDATE items SET starts = starts + 1 WHERE batch_id = ? AND idx = ?', id, index);
    });
  }

  async recordOutcome(id: string, index: number, outcome: ItemOutcome, now: number): Promise<RecordOutcome> {
    const before = this.one('SELECT total - succeeded - failed - cancelled AS open FROM batches WHERE id = ?', id);
    if (!before) return { recorded: false, finishedState: null };
    // The write that may finish the batch is fsynced: its webhook must not be announced twice after a power cut.
    return this.transaction(Number(before.open) <= 1, () => {
      if (this.run('UPDATE items SET outcome = ? WHERE batch_id = ? AND idx = ? AND outcome IS NULL', JSON.stringify(outcome), id, index) !== 1) {
        return { recorded: false, finishedState: null };
      }
      this.run(`UPDATE batches SET ${outcome.status} = ${outcome.status} + 1 WHERE id = ?`, id);
      const r = toRecord(this.one('SELECT * FROM batches WHERE id = ?', id)!);
      if (r.succeeded + r.failed + r.cancelled >= r.total && (r.state === 'queued' || r.state === 'running')) {
        const state = finalState(r.succeeded);
        this.run('UPDATE batches SET state = ?, finished_at = ? WHERE id = ?', state, now, id);
        return { recorded: true, finishedState: state };
      }
      return { recorded: true, finishedState: null };
    });
  }

  async cancel(id: string, now: number): Promise<boolean> {
    return this.transaction(true, () => this.run("UPDATE batches SET state = 'cancelled', finished_at = ? WHERE id = ? AND state IN ('queued', 'running')", now, id) === 1);
  }

  async claimIdempotency(key: string, claim: IdempotencyClaim, ttlMs: number): Promise<IdempotencyClaim | null> {
    const now = Date.now();
    return this.transaction(false, () => {
      const existing = this.one('SELECT batch_id, hash FROM idempotency WHERE key = ? AND expires_at > ?', key, now);
      if (existing) return { batchId: String(existing.batch_id), hash: String(existing.hash) };
      // Made durable by the batch's own FULL commit, which follows it in the log.
      this.run('INSERT OR REPLACE INTO idempotency (key, batch_id, hash, expires_at) VALUES (?, ?, ?, ?)', key, claim.batchId, claim.hash, now + ttlMs);
      return null;
    });
  }

  async releaseIdempotency(key: string, batchId: string): Promise<void> {
    this.transaction(false, () => this.run('DELETE FROM idempotency WHERE key = ? AND batch_id = ?', key, batchId));
  }

  async addWebhookAttempt(id: string, attempt: WebhookAttempt, delivered: boolean): Promise<void> {
    this.transaction(false, () => {
      if (!this.one('SELECT 1 AS found FROM batches WHERE id = ?', id)) return;
      this.run('INSERT INTO webhook_attempts (batch_id, attempt) VALUES (?, ?)', id, JSON.stringify(attempt));
      if (delivered) this.run('UPDATE batches SET webhook_delivered = 1 WHERE id = ?', id);
    });
  }

  async webhookAttempts(id: string): Promise<WebhookAttempt[]> {
    return this.all('SELECT attempt FROM webhook_attempts WHERE batch_id = ? ORDER BY seq', id).map((r) => JSON.parse(String(r.attempt)) as WebhookAttempt);
  }

  // --- what a restarted process picks up (see resume-interrupted.ts) ---

  /** Batches with items still to run: unfinished ones, and cancelled ones whose cancel was cut short. */
  batchesWithPendingItems(): BatchRecord[] {
    return this.all(
      `SELECT * FROM batches WHERE (finished_at IS NULL OR state = 'cancelled')
         AND EXISTS (SELECT 1 FROM items WHERE items.batch_id = batches.id AND items.outcome IS NULL)
       ORDER BY created_at`,
    ).map(toRecord);
  }

  pendingItems(id: string): PendingItem[] {
    return this.all('SELECT idx, blob_key, options, starts FROM items WHERE batch_id = ? AND outcome IS NULL ORDER BY idx', id).map((r) => ({
      index: Number(r.idx),
      blobKey: String(r.blob_key),
      options: JSON.parse(String(r.options)) as unknown,
      starts: Number(r.starts),
    }));
  }

  /** Finished batches whose webhook was neither delivered nor given up on, with the attempts made so far. */
  undeliveredWebhooks(): Array<{ id: string; attempts: number }> {
    return this.all(
      `SELECT b.id, (SELECT COUNT(*) FROM webhook_attempts w WHERE w.batch_id = b.id) AS attempts
         FROM batches b WHERE b.finished_at IS NOT NULL AND b.webhook_url IS NOT NULL AND b.webhook_delivered = 0`,
    ).map((r) => ({ id: String(r.id), attempts: Number(r.attempts) }));
  }

  /** Blob keys some item may still read: everything else in the blob directory is left over from a crash. */
  liveBlobKeys(): Set<string> {
    return new Set(this.all('SELECT blob_key FROM items WHERE outcome IS NULL').map((r) => String(r.blob_key)));
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}
