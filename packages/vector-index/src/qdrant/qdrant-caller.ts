import { setTimeout as sleep } from 'node:timers/promises';
import { classifyQdrantError, indexUnavailable, isTransient, toIndexError, type QdrantFailure } from './qdrant-errors.ts';

export interface CallerOptions {
  /** Whole budget of one call, retries included. */
  timeoutMs: number;
  /** Extra attempts after a transient failure (connection refused/reset, 502/503/504). */
  retries: number;
  /** For messages: where Qdrant is. */
  where: string;
}

export interface CallOptions {
  /** What Qdrant's own 404 means for this call (e.g. "collection not found"); without it a 404 is an error. */
  notFound?: () => Error;
  /** A failure the caller handles itself (e.g. "already exists" on create): returned instead of thrown. */
  accept?: (f: QdrantFailure) => boolean;
}

const BACKOFF_MS = [100, 300, 900];

export type CallResult<T> = { ok: true; value: T } | { ok: false; failure: QdrantFailure };

/**
 * Every request to Qdrant goes through here, so none can hang a caller past `timeoutMs` (the client's own
 * default is 300 s) and every failure reaches the service as a typed error. Only transient failures are
 * retried, and only while the budget lasts; every call this adapter makes is idempotent (upserts and deletes by
 * id or filter, creates that treat "already exists" as done), so a retry after a lost answer is safe.
 */
export class QdrantCaller {
  private readonly opts: CallerOptions;

  constructor(opts: CallerOptions) {
    this.opts = opts;
  }

  async call<T>(op: string, fn: () => Promise<T>, callOpts: CallOptions = {}): Promise<T> {
    const r = await this.attempt(op, fn, callOpts);
    if (!r.ok) throw toIndexError(r.failure, op, this.opts.where, undefined);
    return r.value;
  }

  /** Like `call`, but a failure `accept` takes comes back as a value instead of an error. */
  async attempt<T>(op: string, fn: () => Promise<T>, callOpts: CallOptions = {}): Promise<CallResult<T>> {
    const started = performance.now();
    const deadline = started + this.opts.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) throw indexUnavailable(this.opts.where, `no answer to ${op} within ${this.opts.timeoutMs} ms`);
      let outcome: { value: T } | { error: unknown } | 'deadline';
      const request = fn().then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      let timer: NodeJS.Timeout | undefined;
      try {
        outcome = await Promise.race([request, new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), remaining)))]);
      } finally {
        clearTimeout(timer);
      }
      if (outcome === 'deadline') {
        // The request itself is aborted by the client's own timer (a backstop set a little later) shortly after.
        throw indexUnavailable(this.opts.where, `no answer to ${op} within ${this.opts.timeoutMs} ms`);
      }
      if ('value' in outcome) return { ok: true, value: outcome.value };
      const failure = classifyQdrantError(outcome.error);
      if (failure.kind === 'timeout') throw indexUnavailable(this.opts.where, `no answer to ${op} within ${this.opts.timeoutMs} ms`);
      if (failure.kind === 'http' && failure.status === 404 && failure.qdrantBody && callOpts.notFound) throw callOpts.notFound();
      if (callOpts.accept?.(failure)) return { ok: false, failure };
      const backoff = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!;
      if (isTransient(failure) && attempt < this.opts.retries && performance.now() + backoff < deadline) {
        await sleep(backoff);
        continue;
      }
      throw toIndexError(failure, op, this.opts.where, outcome.error);
    }
  }
}
