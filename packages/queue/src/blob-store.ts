import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Image bytes kept outside job JSON: base64 in a job would cost a third more memory in Redis and be copied
 * on every retry and event. Each blob has a TTL as a safety net; the job that owns it deletes it when it ends.
 */
export interface BlobStore {
  /** `durable`: the bytes will belong to a batch, so a store that can keep them on disk does so at once. */
  put(bytes: Uint8Array, ttlMs: number, opts?: { durable?: boolean }): Promise<string>;
  /** Null once deleted or expired. */
  get(key: string): Promise<Buffer | null>;
  delete(keys: string[]): Promise<void>;
  /**
   * Called before a batch that owns these blobs is recorded. A store local to this process makes them survive
   * its crash (on disk, fsynced) and stops their expiry: their jobs delete them. Redis blobs are left as they are.
   */
  persist(keys: string[]): Promise<void>;
}

export class RedisBlobStore implements BlobStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  async put(bytes: Uint8Array, ttlMs: number): Promise<string> {
    const key = `${this.prefix}blob:${randomUUID()}`;
    await this.redis.set(key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'PX', ttlMs);
    return key;
  }

  get(key: string): Promise<Buffer | null> {
    return this.redis.getBuffer(key);
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys);
  }

  async persist(): Promise<void> {}
}

export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, { bytes: Buffer; timer: NodeJS.Timeout }>();

  private readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  async put(bytes: Uint8Array, ttlMs: number): Promise<string> {
    const key = `${this.prefix}blob:${randomUUID()}`;
    // Copy: the caller may reuse its buffer after submitting.
    const timer = setTimeout(() => this.blobs.delete(key), ttlMs);
    timer.unref();
    this.blobs.set(key, { bytes: Buffer.from(bytes), timer });
    return key;
  }

  async get(key: string): Promise<Buffer | null> {
    return this.blobs.get(key)?.bytes ?? null;
  }

  has(key: string): boolean {
    return this.blobs.has(key);
  }

  /** Lives as long as this process: nothing to do (the durable store moves such blobs to disk itself). */
  async persist(keys: string[]): Promise<void> {
    for (const key of keys) {
      const entry = this.blobs.get(key);
      if (entry) clearTimeout(entry.timer);
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      const entry = this.blobs.get(key);
      if (!entry) continue;
      clearTimeout(entry.timer);
      this.blobs.delete(key);
    }
  }

  /** For tests: how many blobs are still held. */
  get size(): number {
    return this.blobs.size;
  }

  clear(): void {
    for (const entry of this.blobs.values()) clearTimeout(entry.timer);
    this.blobs.clear();
  }
}
