import { finalState, type BatchItem, type BatchRecord, type BatchStore, type IdempotencyClaim, type ItemOutcome, type RecordOutcome } from './batch-store.ts';
import type { WebhookAttempt } from './queue-port.ts';

interface Entry {
  record: BatchRecord;
  items: BatchItem[];
  outcomes: Map<number, ItemOutcome>;
  webhook: WebhookAttempt[];
}

/** Same rules as RedisBatchStore; single-threaded JS makes each method atomic without scripts. */
export class MemoryBatchStore implements BatchStore {
  private readonly batches = new Map<string, Entry>();
  private readonly claims = new Map<string, { claim: IdempotencyClaim; expiresAt: number }>();

  private readonly retentionMs: number;

  constructor(retentionMs: number) {
    this.retentionMs = retentionMs;
  }

  async create(record: BatchRecord, items: BatchItem[]): Promise<void> {
    this.prune(record.createdAt);
    this.batches.set(record.id, { record: { ...record }, items: [...items], outcomes: new Map(), webhook: [] });
  }

  /** Mirrors the Redis key TTLs, so a long-running single-node server doesn't grow without bound. */
  private prune(now: number): void {
    for (const [id, e] of this.batches) if (e.record.createdAt + this.retentionMs < now) this.batches.delete(id);
    for (const [key, c] of this.claims) if (c.expiresAt <= now) this.claims.delete(key);
  }

  async get(id: string): Promise<BatchRecord | null> {
    const e = this.batches.get(id);
    return e ? { ...e.record } : null;
  }

  async items(id: string, start: number, count: number): Promise<BatchItem[]> {
    return this.batches.get(id)?.items.slice(start, start + Math.max(0, count)) ?? [];
  }

  async outcomes(id: string, indices: number[]): Promise<Array<ItemOutcome | null>> {
    const e = this.batches.get(id);
    return indices.map((i) => e?.outcomes.get(i) ?? null);
  }

  async markRunning(id: string): Promise<void> {
    const e = this.batches.get(id);
    if (e && e.record.state === 'queued') e.record.state = 'running';
  }

  async recordOutcome(id: string, index: number, outcome: ItemOutcome, now: number): Promise<RecordOutcome> {
    const e = this.batches.get(id);
    if (!e || e.outcomes.has(index)) return { recorded: false, finishedState: null };
    e.outcomes.set(index, outcome);
    e.record[outcome.status] += 1;
    const r = e.record;
    if (e.outcomes.size >= r.total && (r.state === 'queued' || r.state === 'running')) {
      r.state = finalState(r.succeeded);
      r.finishedAt = now;
      return { recorded: true, finishedState: r.state };
    }
    return { recorded: true, finishedState: null };
  }

  async cancel(id: string, now: number): Promise<boolean> {
    const r = this.batches.get(id)?.record;
    if (!r || (r.state !== 'queued' && r.state !== 'running')) return false;
    r.state = 'cancelled';
    r.finishedAt = now;
    return true;
  }

  async claimIdempotency(key: string, claim: IdempotencyClaim, ttlMs: number): Promise<IdempotencyClaim | null> {
    const existing = this.claims.get(key);
    if (existing && existing.expiresAt > Date.now()) return existing.claim;
    this.claims.set(key, { claim, expiresAt: Date.now() + ttlMs });
    return null;
  }

  async releaseIdempotency(key: string, batchId: string): Promise<void> {
    if (this.claims.get(key)?.claim.batchId === batchId) this.claims.delete(key);
  }

  async addWebhookAttempt(id: string, attempt: WebhookAttempt, delivered: boolean): Promise<void> {
    const e = this.batches.get(id);
    if (!e) return;
    e.webhook.push(attempt);
    if (delivered) e.record.webhookDelivered = true;
  }

  async webhookAttempts(id: string): Promise<WebhookAttempt[]> {
    return [...(this.batches.get(id)?.webhook ?? [])];
  }
}
