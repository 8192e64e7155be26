import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { MemoryBlobStore, type BlobStore } from './blob-store.ts';

/** The file name is the key's uuid; the prefix before it may have changed since the key was stored. */
const KEY = /blob:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

function fileName(key: string): string | null {
  return KEY.exec(key)?.[1] ?? null;
}

/**
 * The embedded service's blob store. Bytes for a synchronous request stay in memory: that request dies with
 * the process anyway, and a file would cost it a write and an unlink (about 0.8 ms on the 2-core VM, 4 % of an
 * extraction). Bytes for a batch (`durable`, or handed to `persist`) go to one file each under `dir`, written
 * and fdatasynced before the key is handed out; `persist` then fsyncs the directory, so once the batch is
 * recorded both the names and the contents are on disk.
 *
 * Keys look like the other stores' (`<prefix>blob:<uuid>`); the file is named by the uuid alone, and a key of
 * any other shape is never turned into a path.
 */
export class FileBlobStore implements BlobStore {
  private readonly dir: string;
  private readonly prefix: string;
  private readonly memory: MemoryBlobStore;
  /** Safety-net expiry of files no batch has taken yet (an upload whose request died). */
  private readonly expiries = new Map<string, NodeJS.Timeout>();

  constructor(dir: string, prefix: string) {
    mkdirSync(dir, { recursive: true });
    this.dir = dir;
    this.prefix = prefix;
    this.memory = new MemoryBlobStore(prefix);
  }

  private path(key: string): string | null {
    const name = fileName(key);
    return name ? join(this.dir, name) : null;
  }

  async put(bytes: Uint8Array, ttlMs: number, opts: { durable?: boolean } = {}): Promise<string> {
    if (!opts.durable) return this.memory.put(bytes, ttlMs);
    const key = `${this.prefix}blob:${randomUUID()}`;
    await this.writeFile(key, bytes);
    const timer = setTimeout(() => void this.delete([key]), ttlMs);
    timer.unref();
    this.expiries.set(key, timer);
    return key;
  }

  private async writeFile(key: string, bytes: Uint8Array): Promise<void> {
    const file = await open(this.path(key)!, 'wx');
    try {
      await file.writeFile(bytes);
      await file.datasync();
    } finally {
      await file.close();
    }
  }

  async get(key: string): Promise<Buffer | null> {
    const held = await this.memory.get(key);
    if (held) return held;
    const path = this.path(key);
    if (!path) return null;
    try {
      return await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(keys: string[]): Promise<void> {
    // A synchronous request's bytes were only ever in memory: no unlink (a thread-pool round trip) for them.
    const onDisk = keys.filter((key) => !this.memory.has(key));
    await this.memory.delete(keys);
    await Promise.all(
      onDisk.map(async (key) => {
        clearTimeout(this.expiries.get(key));
        this.expiries.delete(key);
        const path = this.path(key);
        if (path) await unlink(path).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
      }),
    );
  }

  async persist(keys: string[]): Promise<void> {
    await Promise.all(
      keys.map(async (key) => {
        clearTimeout(this.expiries.get(key));
        this.expiries.delete(key);
        const held = this.memory.has(key) ? await this.memory.get(key) : null;
        if (!held) return;
        await this.writeFile(key, held);
        await this.memory.delete([key]);
      }),
    );
    // The new names live in the directory's own blocks: fsync it too, or a crash could forget the files.
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  /** At start, before any job runs: removes files no unfinished item refers to (uploads cut off by a crash). */
  sweep(liveKeys: Iterable<string>): number {
    const live = new Set([...liveKeys].map(fileName));
    let removed = 0;
    for (const name of readdirSync(this.dir)) {
      if (live.has(name)) continue;
      unlinkSync(join(this.dir, name));
      removed++;
    }
    return removed;
  }

  /** For tests: blobs held, in memory and on disk. */
  count(): number {
    return this.memory.size + readdirSync(this.dir).length;
  }

  close(): void {
    this.memory.clear();
    for (const timer of this.expiries.values()) clearTimeout(timer);
    this.expiries.clear();
  }
}
