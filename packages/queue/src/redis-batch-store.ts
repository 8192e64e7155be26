import type { Redis } from 'ioredis';
import type { BatchItem, BatchRecord, BatchStore, IdempotencyClaim, ItemOutcome, RecordOutcome } from './batch-store.ts';
import type { BatchJobName } from './job-catalog.ts';
import type { BatchState, WebhookAttempt } from './queue-port.ts';

// The first writer of an item's outcome wins (HSETNX), counters move only with that write, and whoever
// writes the last outcome flips the state — all in one script so two workers can't both finish the batch.
const RECORD_OUTCOME = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0, ''} end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return {0, ''} end
redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
local total = tonumber(redis.call('HGET', KEYS[1], 'total'))
local state = redis.call('HGET', KEYS[1], 'state')
if redis.call('HLEN', KEYS[2]) >= total and (state == 'queued' or state == 'running') then
  local succeeded = tonumber(redis.call('HGET', KEYS[1], 'succeeded') or '0')
  local final = 'failed'
  if succeeded > 0 then final = 'completed' end
  redis.call('HSET', KEYS[1], 'state', final, 'finished_at', ARGV[4])
  return {1, final}
end
return {1, ''}
`;

const CANCEL = `
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'queued' or state == 'running' then
  redis.call('HSET', KEYS[1], 'state', 'cancelled', 'finished_at', ARGV[1])
  return 1
end
return 0
`;

const RELEASE_CLAIM = `
local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v)['batchId'] == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`;

const MARK_RUNNING = `
if redis.call('HGET', KEYS[1], 'state') == 'queued' then redis.call('HSET', KEYS[1], 'state', 'running') end
return 0
`;

/**
 * Key layout (all under the queue's prefix):
 *   batch:<id>            hash  — state, counters, timestamps, webhook url, creating request's id
 *   batch:<id>:items      list  — JSON {ref, blobKey} in submit order (index = position)
 *   batch:<id>:results    hash  — index → JSON outcome, written once
 *   batch:<id>:webhook    list  — JSON delivery attempts
 *   idem:<key>            string — JSON {batchId, hash}
 * Every key expires after `retentionMs` so abandoned batches don't accumulate.
 */
export class RedisBatchStore implements BatchStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly retentionMs: number;

  constructor(redis: Redis, prefix: string, retentionMs: number) {
    this.redis = redis;
    this.prefix = prefix;
    this.retentionMs = retentionMs;
  }

  private key(id: string, suffix = ''): string {
    return `${this.prefix}batch:${id}${suffix}`;
  }

  async create(r: BatchRecord, items: BatchItem[]): Promise<void> {
    const multi = this.redis.multi();
    multi.hset(this.key(r.id), {
      id: r.id,
      type: r.type,
      state: r.state,
      total: r.total,
      succeeded: 0,
      failed: 0,
      cancelled: 0,
      created_at: r.createdAt,
      finished_at: '',
      webhook_url: r.webhookUrl ?? '',
      webhook_delivered: 0,
      request_id: r.requestId ?? '',
    });
    if (items.length > 0) multi.rpush(this.key(r.id, ':items'), ...items.map((i) => JSON.stringify({ ref: i.ref, blobKey: i.blobKey })));
    multi.pexpire(this.key(r.id), this.retentionMs);
    multi.pexpire(this.key(r.id, ':items'), this.retentionMs);
    await execOrThrow(multi);
  }

  async get(id: string): Promise<BatchRecord | null> {
    const h = await this.redis.hgetall(this.key(id));
    if (!h['id']) return null;
    return {
      id: h['id'],
      type: h['type'] as BatchJobName,
      state: h['state'] as BatchState,
      total: Number(h['total']),
      succeeded: Number(h['succeeded']),
      failed: Number(h['failed']),
      cancelled: Number(h['cancelled']),
      createdAt: Number(h['created_at']),
      finishedAt: h['finished_at'] ? Number(h['finished_at']) : null,
      webhookUrl: h['webhook_url'] || null,
      webhookDelivered: h['webhook_delivered'] === '1',
      requestId: h['request_id'] || null,
    };
  }

  async items(id: string, start: number, count: number): Promise<BatchItem[]> {
    if (count <= 0) return [];
    const raw = await this.redis.lrange(this.key(id, ':items'), start, start + count - 1);
    return raw.map((s) => JSON.parse(s) as BatchItem);
  }

  async outcomes(id: string, indices: number[]): Promise<Array<ItemOutcome | null>> {
    if (indices.length === 0) return [];
    const raw = await this.redis.hmget(this.key(id, ':results'), ...indices.map(String));
    return raw.map((s) => (s === null ? null : (JSON.parse(s) as ItemOutcome)));
  }

  async markRunning(id: string, _index: number): Promise<void> {
    await this.redis.eval(MARK_RUNNING, 1, this.key(id));
  }

  async recordOutcome(id: string, index: number, outcome: ItemOutcome, now: number): Promise<RecordOutcome> {
    const results = this.key(id, ':results');
    const [recorded, state] = (await this.redis.eval(
      RECORD_OUTCOME,
      2,
      this.key(id),
      results,
      String(index),
      JSON.stringify(outcome),
      outcome.status,
      String(now),
    )) as [number, string];
    if (recorded === 1) await this.redis.pexpire(results, this.retentionMs);
    return { recorded: recorded === 1, finishedState: state === 'completed' || state === 'failed' ? state : null };
  }

  async cancel(id: string, now: number): Promise<boolean> {
    return (await this.redis.eval(CANCEL, 1, this.key(id), String(now))) === 1;
  }

  async claimIdempotency(key: string, claim: IdempotencyClaim, ttlMs: number): Promise<IdempotencyClaim | null> {
    const k = `${this.prefix}idem:${key}`;
    const ok = await this.redis.set(k, JSON.stringify(claim), 'PX', ttlMs, 'NX');
    if (ok === 'OK') return null;
    const existing = await this.redis.get(k);
    // Expired between SET NX and GET: the key is free again, so claim it.
    if (existing === null) return this.claimIdempotency(key, claim, ttlMs);
    return JSON.parse(existing) as IdempotencyClaim;
  }

  async releaseIdempotency(key: string, batchId: string): Promise<void> {
    await this.redis.eval(RELEASE_CLAIM, 1, `${this.prefix}idem:${key}`, batchId);
  }

  async addWebhookAttempt(id: string, attempt: WebhookAttempt, delivered: boolean): Promise<void> {
    const multi = this.redis.multi();
    multi.rpush(this.key(id, ':webhook'), JSON.stringify(attempt));
    multi.pexpire(this.key(id, ':webhook'), this.retentionMs);
    if (delivered) multi.hset(this.key(id), 'webhook_delivered', 1);
    await execOrThrow(multi);
  }

  async webhookAttempts(id: string): Promise<WebhookAttempt[]> {
    const raw = await this.redis.lrange(this.key(id, ':webhook'), 0, -1);
    return raw.map((s) => JSON.parse(s) as WebhookAttempt);
  }
}

async function execOrThrow(multi: ReturnType<Redis['multi']>): Promise<void> {
  const res = await multi.exec();
  for (const [err] of res ?? []) if (err) throw err;
}
