import { Redis } from 'ioredis';
import { describeError, isConnectionError } from './connection-errors.ts';
import { failFastOptions } from './connection-options.ts';

export type LinkState = { up: true } | { up: false; reason: string };

export interface RedisLinkOptions {
  url: string;
  /**
   * How long Redis may take to answer before it counts as unreachable. Requests waiting on it then get their
   * error; the heartbeat pings every quarter of this.
   */
  timeoutMs: number;
  /** Called once per change of state: down (with why) and up again. Never once per failed retry. */
  onChange(state: LinkState): void;
}

/**
 * A fail-fast connection for the request path plus what it knows about Redis's reachability. While Redis is
 * down every `guard`ed call is refused at once; when it goes down, calls still waiting are refused too, so no
 * request hangs for the length of an outage. A heartbeat PING notices a Redis that keeps its connections but
 * stops answering (SIGSTOP, a stuck host) and notices it coming back; ioredis reconnects by itself within a
 * second of a restart.
 */
export class RedisLink {
  readonly client: Redis;
  private readonly opts: RedisLinkOptions;
  private status: 'connecting' | 'up' | 'down' = 'connecting';
  private reason = 'connecting to Redis';
  private readonly waiting = new Set<(reason: string) => void>();
  /** Callers that arrived while connecting at start, told as soon as the link is up or down. */
  private readonly settled = new Set<() => void>();
  private pinging = false;
  private closing = false;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(opts: RedisLinkOptions) {
    this.opts = opts;
    this.client = new Redis(opts.url, failFastOptions(opts.timeoutMs));
    // Every failed reconnect emits 'error'; the state change below is what gets reported, once.
    this.client.on('error', (err: Error) => this.markDown(describeError(err)));
    this.client.on('close', () => this.markDown('connection to Redis closed'));
    this.client.on('ready', () => this.markUp());
    // A stop is noticed within timeoutMs and a quarter of it.
    this.heartbeat = setInterval(() => this.beat(), Math.max(25, Math.floor(opts.timeoutMs / 4)));
    this.heartbeat.unref();
  }

  get state(): LinkState {
    return this.status === 'up' ? { up: true } : { up: false, reason: this.reason };
  }

  /** One PING at a time; one left unanswered for `timeoutMs` marks Redis down (it may still answer later: up again). */
  private beat(): void {
    if (this.pinging || this.client.status !== 'ready') return;
    this.pinging = true;
    const late = setTimeout(() => this.markDown(`Redis did not answer within ${this.opts.timeoutMs} ms`), this.opts.timeoutMs);
    late.unref();
    this.client.ping().then(
      () => {
        clearTimeout(late);
        this.pinging = false;
        this.markUp();
      },
      (err: unknown) => {
        clearTimeout(late);
        this.pinging = false;
        this.markDown(describeError(err));
      },
    );
  }

  private markDown(reason: string): void {
    // Our own quit closes the connection too: that is no outage.
    if (this.status === 'down' || this.closing) return;
    // Errors while still connecting at start count too: a Redis that is not there is an outage.
    this.status = 'down';
    this.reason = reason;
    this.opts.onChange({ up: false, reason });
    for (const refuse of this.waiting) refuse(reason);
    this.waiting.clear();
    this.settle();
  }

  private settle(): void {
    for (const go of this.settled) go();
    this.settled.clear();
  }

  private markUp(): void {
    if (this.status === 'up' || this.closing) return;
    const wasDown = this.status === 'down';
    this.status = 'up';
    this.reason = '';
    if (wasDown) this.opts.onChange({ up: true });
    this.settle();
  }

  /**
   * Runs `op` (which should use `client`) for a waiting caller. Refused with `unavailable(reason)` at once
   * while Redis is down, or as soon as it goes down during the call; a connection error thrown by `op` marks
   * it down. Errors Redis answered with, and the caller's own errors, pass through.
   */
  async guard<T>(op: () => Promise<T>, unavailable: (reason: string) => Error): Promise<T> {
    if (this.status === 'connecting') await this.untilConnected();
    if (this.status === 'down') throw unavailable(this.reason);
    return new Promise<T>((resolve, reject) => {
      const refuse = (reason: string) => reject(unavailable(reason));
      this.waiting.add(refuse);
      op().then(
        (value) => {
          this.waiting.delete(refuse);
          resolve(value);
        },
        (err: unknown) => {
          this.waiting.delete(refuse);
          if (!isConnectionError(err)) return reject(err);
          this.markDown(describeError(err));
          reject(unavailable(describeError(err)));
        },
      );
    });
  }

  /** The first requests after start wait for the connection to settle, but no longer than the timeout. */
  private untilConnected(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.settled.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.markDown(`could not connect to Redis within ${this.opts.timeoutMs} ms`);
        done();
      }, this.opts.timeoutMs);
      this.settled.add(done);
    });
  }

  /**
   * Errors from this process's other connections to the same Redis (BullMQ workers, the patient store): true
   * when it was a connection error, which this link's own state already reports, so the caller logs nothing.
   */
  absorbs(err: unknown): boolean {
    return isConnectionError(err);
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    this.settle();
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
