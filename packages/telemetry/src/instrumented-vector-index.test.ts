import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVectorIndex, type VectorIndex } from '@facerec/vector-index';
import { afterEach, expect, it } from 'vitest';
import { instrumentVectorIndex } from './instrumented-vector-index.ts';
import { Metrics } from './metrics.ts';
import { sampleValue } from './test-support.ts';

const dirs: string[] = [];
const indexes: VectorIndex[] = [];
afterEach(async () => {
  for (const i of indexes.splice(0)) await i.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function unit(seed: number): Float32Array {
  const v = Float32Array.from({ length: 8 }, (_, i) => Math.sin(seed * 7 + i));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

it('times every search on the real embedded index and reports collection sizes without naming a collection', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'facerec-telemetry-'));
  dirs.push(dir);
  const metrics = new Metrics({ defaultMetrics: false });
  const index = instrumentVectorIndex(await createVectorIndex({ dataDir: dir }), metrics);
  indexes.push(index);
  await index.createCollection('team_a', { dimension: 8 });
  await index.createCollection('team_b', { dimension: 8 });
  const record = (c: string, i: number) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, vector: unit(i), payload: { subject_id: `${c}-${i % 3}`, face_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` } });
  await index.upsert('team_a', Array.from({ length: 5 }, (_, i) => record('a', i)));
  await index.upsert('team_b', Array.from({ length: 2 }, (_, i) => record('b', 10 + i)));

  const hits = await index.search('team_a', unit(1), { topK: 3 });
  expect(hits[0]?.id).toBe(record('a', 1).id);
  await index.search('team_b', unit(10), { topK: 1, bestPerSubject: true });
  await expect(index.search('missing', unit(1), { topK: 1 })).rejects.toThrow();
  expect(await sampleValue(metrics, 'facerec_vector_search_duration_seconds', { backend: 'embedded', outcome: 'ok' }, '_count')).toBe(2);
  expect(await sampleValue(metrics, 'facerec_vector_search_duration_seconds', { backend: 'embedded', outcome: 'error' }, '_count')).toBe(1);

  const body = (await metrics.exposition()).body;
  expect(body).toMatch(/^facerec_index_collections 2$/m);
  expect(body).toMatch(/^facerec_index_faces 7$/m);
  expect(body).toMatch(/^facerec_index_collection_faces_max 5$/m);
  expect(body).not.toMatch(/team_a|team_b|missing/);

  await index.dropCollection('team_a');
  const after = (await metrics.exposition()).body;
  expect(after).toMatch(/^facerec_index_collections 1$/m);
  expect(after).toMatch(/^facerec_index_faces 2$/m);
});
