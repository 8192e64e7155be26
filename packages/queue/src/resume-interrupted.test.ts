import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { createJobQueue } from './create-queue.ts';
import type { JobQueue } from './queue-port.ts';
import { SqliteBatchStore } from './sqlite-batch-store.ts';

const dirs: string[] = [];
const open: JobQueue[] = [];
afterEach(async () => {
  for (const q of open.splice(0)) await q.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const silent = { info: () => {}, error: () => {} };
function queueAt(dataDir: string): JobQueue {
  const q = createJobQueue({ maxWaiting: 100, webhookSecret: 's', dataDir, log: silent });
  open.push(q);
  return q;
}

it('fails an item every allowed attempt of which was cut off by a stop, and runs the rest', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'facerec-resume-'));
  dirs.push(dataDir);
  const first = queueAt(dataDir);
  const { batch } = await first.submitBatch({
    type: 'extract',
    items: [{ ref: 'poison', image: Buffer.from('poison') }, { ref: 'fine', image: Buffer.from('fine') }],
    options: { faces: 'primary' },
  });
  await first.close();
  open.length = 0;
  // Three starts that never finished: what three crashes while running the item leave behind.
  const store = new SqliteBatchStore(join(dataDir, 'queue', 'jobs.sqlite'), 60_000);
  for (let i = 0; i < 3; i++) await store.markRunning(batch.id, 0);
  store.close();

  const ran: string[] = [];
  const second = queueAt(dataDir);
  await second.startWorker({ extract: async (p, ctx) => (ran.push((await ctx.readBlob(p.blobKey)).toString()), { ok: true }) });
  const done = await vi.waitFor(
    async () => {
      const b = await second.getBatch(batch.id);
      if (b.finished_at === null) throw new Error('not finished');
      return b;
    },
    { timeout: 5_000, interval: 10 },
  );
  expect(ran).toEqual(['fine']);
  expect(done.progress).toEqual({ total: 2, succeeded: 1, failed: 1, cancelled: 0 });
  expect(done.items[0]).toMatchObject({ status: 'failed', error: { code: 'internal_error', message: expect.stringContaining('3 attempts') } });
});

it('refuses a second queue on a data directory another one holds, saying why', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'facerec-resume-'));
  dirs.push(dataDir);
  queueAt(dataDir);
  expect(() => queueAt(dataDir)).toThrow(/in use by another process/);
});
