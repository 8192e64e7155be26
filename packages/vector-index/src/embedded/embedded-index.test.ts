import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import usearch from 'usearch';
import { afterEach, describe, expect, it } from 'vitest';
import { vectorIndexContract, faceRecords } from '../contract/vector-index-contract.ts';
import { createVectorIndex } from '../create-vector-index.ts';
import { faceLikeGenerator } from '../synthetic/face-like-embeddings.ts';
import { EmbeddedVectorIndex } from './embedded-index.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'vector-index-'));
  dirs.push(d);
  return d;
}
function cleanDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

vectorIndexContract('embedded', () => createVectorIndex({ dataDir: tempDir() }), { afterClose: cleanDirs });
// Full-precision graph (VECTOR_QUANTIZATION=none), the default before int8.
vectorIndexContract('embedded f32', () => createVectorIndex({ dataDir: tempDir(), quantization: { type: 'none' } }), { afterClose: cleanDirs });
// Half-precision graph, exact f32 rescoring from SQLite: the same contract, scores included.
vectorIndexContract('embedded float16', () => createVectorIndex({ dataDir: tempDir(), quantization: { type: 'float16' } }), { afterClose: cleanDirs });

describe('embedded index persistence', () => {
  afterEach(cleanDirs);

  const open = (dataDir: string, saveEveryChanges = 1_000_000, quantization: 'none' | 'int8' = 'int8') =>
    createVectorIndex({ dataDir, saveEveryChanges, quantization: { type: quantization } }) as Promise<EmbeddedVectorIndex>;
  const probes = Array.from({ length: 20 }, (_, i) => faceLikeGenerator({ seed: 11, photoSeed: 77 }).sample(i * 3));
  const snapshot = async (ix: EmbeddedVectorIndex) => Promise.all(probes.map((p) => ix.search('faces', p, { topK: 10 })));

  it('drops a large collection in chunks, with the event loop free in between, leaving other collections whole', async () => {
    const dataDir = tempDir();
    const ix = await open(dataDir);
    await ix.createCollection('big', { dimension: 128 });
    await ix.createCollection('other', { dimension: 128 });
    await ix.upsert('big', faceRecords(6_000));
    const others = faceRecords(50);
    await ix.upsert('other', others);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const dropping = ix.dropCollection('big');
    // Unsearchable at once, before the rows are gone.
    await expect(ix.search('big', probes[0]!, { topK: 5 })).rejects.toMatchObject({ status: 404 });
    expect(await dropping).toBe(true);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(await ix.describeCollection('big')).toBeNull();
    expect(await ix.dropCollection('big')).toBe(false);
    expect((await ix.get('other', others.map((r) => r.id))).length).toBe(50);
    await ix.close();
    const db = new DatabaseSync(join(dataDir, 'faces.db'));
    try {
      expect(db.prepare("SELECT COUNT(*) AS n FROM faces WHERE collection = 'big'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  async function seeded(dataDir: string, quantization: 'none' | 'int8' = 'int8') {
    const ix = await open(dataDir, undefined, quantization);
    await ix.createCollection('faces', { dimension: 128 });
    const records = faceRecords(1000);
    await ix.upsert('faces', records);
    await ix.delete('faces', records.slice(0, 7).map((r) => r.id));
    await ix.deleteBySubject('faces', records[50]!.payload.subject_id);
    return { ix, records };
  }

  it('keeps everything across close and reopen, loading the saved graph', async () => {
    const dir = tempDir();
    const { ix } = await seeded(dir);
    const before = await snapshot(ix);
    await ix.close();
    const again = await open(dir);
    expect(again.openReport).toEqual([expect.objectContaining({ collection: 'faces', source: 'snapshot', replayedAdds: 0, replayedRemoves: 0 })]);
    expect(await again.describeCollection('faces')).toEqual({ name: 'faces', dimension: 128, count: 988 });
    expect(await snapshot(again)).toEqual(before);
    await again.close();
  });

  it('rebuilds a missing or corrupt graph file from SQLite with identical results', async () => {
    const dir = tempDir();
    const { ix } = await seeded(dir);
    const before = await snapshot(ix);
    await ix.close();
    const file = join(dir, 'index', 'faces.usearch');

    rmSync(file);
    const rebuilt = await open(dir);
    expect(rebuilt.openReport[0]).toMatchObject({ source: 'rebuilt', replayedAdds: 988 });
    expect(await snapshot(rebuilt)).toEqual(before);
    await rebuilt.close();

    writeFileSync(file, Buffer.from('not an hnsw graph'));
    const fromCorrupt = await open(dir);
    expect(fromCorrupt.openReport[0]).toMatchObject({ source: 'rebuilt' });
    expect(await snapshot(fromCorrupt)).toEqual(before);
    await fromCorrupt.close();
  });

  it('still loads a graph saved with cosine, from before f32 graphs switched to inner product', async () => {
    const dir = tempDir();
    const { ix } = await seeded(dir, 'none');
    const before = await snapshot(ix);
    await ix.close();
    // Rewrite the snapshot as the older code did: same labels and vectors, cosine metric.
    const file = join(dir, 'index', 'faces.usearch');
    const cos = new usearch.Index({ dimensions: 128, metric: usearch.MetricKind.Cos, quantization: usearch.ScalarKind.F32, connectivity: 32, expansion_add: 128, expansion_search: 512, multi: false });
    const db = new DatabaseSync(join(dir, 'faces.db'));
    for (const r of db.prepare('SELECT seq, vector FROM faces').all() as { seq: number; vector: Uint8Array }[]) {
      cos.add(BigInt(r.seq), new Float32Array(r.vector.slice().buffer), 1);
    }
    db.close();
    cos.save(file);
    const sidecar = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { bytes: number; dead: number[]; size: number };
    writeFileSync(`${file}.json`, JSON.stringify({ ...sidecar, dead: [], size: cos.size(), bytes: statSync(file).size }));

    const again = await open(dir, undefined, 'none');
    expect(again.openReport[0]).toMatchObject({ source: 'snapshot', replayedAdds: 0 });
    expect(await snapshot(again)).toEqual(before);
    await again.close();
  });

  it('rebuilds a graph saved with another vector storage once, as an upgrade from the old f32 default does', async () => {
    const dir = tempDir();
    const { ix } = await seeded(dir, 'none');
    const before = await snapshot(ix);
    await ix.close();
    const upgraded = await open(dir);
    expect(upgraded.openReport[0]).toMatchObject({ source: 'rebuilt', replayedAdds: 988 });
    // Re-scored with the exact stored vectors, so the int8 graph returns the same hits with the same scores.
    expect(await snapshot(upgraded)).toEqual(before);
    await upgraded.close();
    const reopened = await open(dir);
    expect(reopened.openReport[0]).toMatchObject({ source: 'snapshot', replayedAdds: 0 });
    await reopened.close();
  });

  it('catches a stale graph up with writes and deletes made after it was saved', async () => {
    const dir = tempDir();
    const { ix, records } = await seeded(dir);
    await ix.close();

    const later = await open(dir);
    const extra = faceRecords(300, { seed: 12 });
    await later.upsert('faces', extra);
    await later.delete('faces', [records[100]!.id, records[101]!.id]);
    await later.upsert('faces', [{ ...records[200]!, vector: extra[0]!.vector.map((x) => -x) }]);
    const expected = await snapshot(later);

    // The state a crash right now would leave: SQLite has the writes, the graph file is the one saved at close.
    const crashed = tempDir();
    for (const f of ['faces.db', 'faces.db-wal', 'index/faces.usearch', 'index/faces.usearch.json']) {
      if (existsSync(join(dir, f))) cpSync(join(dir, f), join(crashed, f));
    }
    await later.close();

    const caughtUp = await open(crashed);
    expect(caughtUp.openReport[0]).toMatchObject({ source: 'snapshot', replayedAdds: 301, replayedRemoves: 3 });
    expect(await caughtUp.describeCollection('faces')).toMatchObject({ count: 1286 });
    expect(await snapshot(caughtUp)).toEqual(expected);
    await caughtUp.close();
  });

  it('loses no acknowledged write when the process dies before the graph is saved', async () => {
    const dir = tempDir();
    // A real crash: a child process upserts, then exits without close(), so no graph file is ever written.
    const script = `
      import { createVectorIndex } from ${JSON.stringify(join(import.meta.dirname, '..', 'index.ts'))};
      import { faceRecords } from ${JSON.stringify(join(import.meta.dirname, '..', 'contract', 'vector-index-contract.ts'))};
      const ix = await createVectorIndex({ dataDir: ${JSON.stringify(dir)}, saveEveryChanges: 1e9, saveIntervalMs: 0 });
      await ix.createCollection('faces', { dimension: 128 });
      const recs = faceRecords(500, { seed: 31 });
      await ix.upsert('faces', recs);
      process.stdout.write(JSON.stringify(recs.map((r) => r.id)));
      process.exit(137);
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.error).toBeUndefined();
    expect(child.stderr).toBe('');
    expect(child.status).toBe(137);
    const ids = JSON.parse(child.stdout) as string[];
    const ix = await open(dir);
    expect(ix.openReport[0]).toMatchObject({ source: 'rebuilt', replayedAdds: 500 });
    const recs = faceRecords(500, { seed: 31 });
    const hits = await ix.search('faces', recs[123]!.vector, { topK: 1 });
    expect(hits[0]!.id).toBe(ids[123]);
    expect((await ix.get('faces', ids)).length).toBe(500);
    await ix.close();
  });
});
