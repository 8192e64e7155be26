/**
 * Export and import end to end: a real service, real photos through the real models, the real catalog and
 * vector index, in both queue modes. A round trip must answer identify exactly as the source did, centroid
 * included; bad or truncated streams are refused with their line number and leave nothing behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisTestPrefix, type RedisTestPrefix } from '@facerec/queue/testing';
import { answer, apiClient, imageFile, type Json } from './support/api-client.ts';
import { type ChildService, startChildService } from './support/child-service.ts';
import { photos } from './support/shared-faces.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SET = 'krasserm_lfw10';
const people = ['Ariel_Sharon', 'Arnold_Schwarzenegger', 'Colin_Powell', 'Donald_Rumsfeld', 'George_W_Bush', 'Gerhard_Schroeder', 'Hugo_Chavez'];
const stranger = 'Jacques_Chirac';
const photo = (identity: string, n: number) => photos(SET, identity).find((p) => p.endsWith(`/${n}.jpg`))!;
/** Who is asked about after the round trip: enrolled people (other photos) and someone never enrolled. */
const probes = [...people.map((p) => photo(p, 5)), photo(stranger, 1), photo(stranger, 2)];

const modes = [
  { mode: 'embedded', redis: false },
  { mode: 'redis queue', redis: true },
] as const;

describe.each(modes)('export and import, $mode', ({ redis }) => {
  let ns: RedisTestPrefix | undefined;
  let svc: ChildService;
  let dataDir: string;
  const api = apiClient(() => svc.url);
  let exported = '';
  let before: Json[] = [];

  const exportText = async (name: string, crops: boolean) => {
    const res = await fetch(`${svc.url}/v1/collections/${name}/export${crops ? '?crops=true' : ''}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    return res.text();
  };
  const importText = async (text: string, query = '') => {
    const res = await fetch(`${svc.url}/v1/collections/import${query}`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: text });
    return { status: res.status, body: (await res.json()) as Json };
  };
  /** Identify answers without timings: what must come out identical. */
  const answers = async (name: string) => {
    const out: Json[] = [];
    for (const p of probes) {
      const res = await answer(api().identify(name, { image: imageFile(p), top_k: 3 }));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const { processing_time: _, ...rest } = res.body;
      out.push(rest);
    }
    return out;
  };

  beforeAll(async () => {
    ns = redis ? await createRedisTestPrefix(REDIS_URL) : undefined;
    dataDir = mkdtempSync(join(tmpdir(), 'facerec-transfer-'));
    svc = await startChildService({ DATA_DIR: dataDir, ...(ns ? { REDIS_URL, QUEUE_PREFIX: ns.prefix } : {}) });
  });
  afterAll(async () => {
    await svc?.stop();
    await ns?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exports a collection as JSON Lines: settings, subjects with metadata, faces with embeddings and crops, then the sum', async () => {
    expect((await answer(api().http.POST('/v1/collections', { body: { name: 'source', target_fpir: 0.05, target_far: '1e-2' } }))).status).toBe(201);
    for (const [i, person] of people.entries()) {
      for (const n of i < 3 ? [1, 2] : [1]) {
        const res = await answer(api().enrollFace('source', { image: imageFile(photo(person, n)), subject_id: person, metadata: JSON.stringify({ rank: i, tags: [] }) }));
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
    }
    // A deleted face leaves its mark on the running sum (floating point): the import must carry the sum, not recompute it.
    const extra = await answer(api().enrollFace('source', { image: imageFile(photo(people[4]!, 3)), subject_id: people[4]! }));
    expect((await answer(api().http.DELETE('/v1/collections/{name}/faces/{face_id}', { params: { path: { name: 'source', face_id: extra.body.face_id } } }))).status).toBe(200);
    before = await answers('source');
    expect(before.filter((a) => a.faces[0].decision === 'match').length).toBeGreaterThanOrEqual(people.length - 1);

    exported = await exportText('source', true);
    const lines = exported.trimEnd().split('\n').map((l) => JSON.parse(l) as Json);
    expect(lines[0]).toMatchObject({ type: 'header', format: 'facerec.collection.v1', crops: true, collection: { name: 'source', embedder: 'mobilefacenet', dimension: 128, target_fpir: 0.05, target_far: '1e-2', store_crops: true } });
    const subjects = lines.filter((l) => l.type === 'subject');
    const faces = lines.filter((l) => l.type === 'face');
    expect(subjects.map((s) => s.subject_id)).toEqual([...people].sort());
    expect(subjects[0]!.metadata).toEqual({ rank: 0, tags: [] });
    expect(faces).toHaveLength(10);
    expect(faces[0]).toMatchObject({ model: 'mobilefacenet', quality: { passed: true } });
    expect(faces[0]!.embedding).toHaveLength(128);
    expect(Buffer.from(faces[0]!.crop, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(lines.at(-1)).toMatchObject({ type: 'end', subjects: 7, faces: 10, centroid: { count: 10 } });
    const plain = await exportText('source', false);
    expect(plain).not.toContain('"crop"');
  });

  it('imports it back after a drop: identify answers exactly as before, face ids and centroid included', async () => {
    expect((await answer(api().http.DELETE('/v1/collections/{name}', { params: { path: { name: 'source' } } }))).status).toBe(200);
    const res = await importText(exported);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ name: 'source', embedder: 'mobilefacenet', target_fpir: 0.05, target_far: '1e-2', imported: { subjects: 7, faces: 10 }, reembedded: false, face_ids: 'kept' });
    expect(await answers('source')).toEqual(before);
    // And the import exports to the same stream (only the export time differs).
    const again = (await exportText('source', true)).split('\n').slice(1).join('\n');
    expect(again).toBe(exported.split('\n').slice(1).join('\n'));
    // Enrolling an exported image again is a retry, as it was in the source.
    const retry = await answer(api().enrollFace('source', { image: imageFile(photo(people[0]!, 1)), subject_id: people[0]! }));
    expect(retry.body).toMatchObject({ created: false });
  });

  it('imports beside the source under another name, and with crops re-embedded by another model', async () => {
    const copy = await importText(exported, '?name=copy');
    expect(copy.status, JSON.stringify(copy.body)).toBe(201);
    expect(copy.body.face_ids).toBe(redis ? 'kept' : 'renewed');
    const copied = await answers('copy');
    const withoutIds = (a: Json[]) => JSON.parse(JSON.stringify(a, (k, v) => (k === 'face_id' ? undefined : v))) as Json[];
    expect(withoutIds(copied)).toEqual(withoutIds(before));

    const arc = await importText(exported, '?name=arc&embedder=arcface-mobilenet-128');
    expect(arc.status, JSON.stringify(arc.body)).toBe(201);
    expect(arc.body).toMatchObject({ embedder: 'arcface-mobilenet-128', reembedded: true, imported: { faces: 10 } });
    const matched = (await answers('arc')).slice(0, people.length).filter((a, i) => a.faces[0].match?.subject_id === people[i]);
    expect(matched.length).toBeGreaterThanOrEqual(people.length - 2);

    const noCrops = await importText(await exportText('source', false), '?name=arc2&embedder=arcface-mobilenet-128');
    expect(noCrops.status).toBe(409);
    expect(noCrops.body.code).toBe('crops_required');
  });

  it('refuses bad and truncated streams naming the line, and creates nothing', async () => {
    const lines = exported.trimEnd().split('\n');
    const listed = async () => ((await answer(api().http.GET('/v1/collections'))).body.collections as Json[]).map((c) => c.name).sort();
    const names = await listed();

    const truncated = await importText(lines.slice(0, -1).join('\n'), '?name=t1');
    expect(truncated.status).toBe(400);
    expect(truncated.body).toMatchObject({ code: 'truncated_import', details: { line: lines.length - 1 } });
    const cut = await importText(exported.slice(0, Math.floor(exported.length / 2)), '?name=t2');
    expect(cut.status).toBe(400);
    expect(['invalid_import', 'truncated_import']).toContain(cut.body.code);

    const garbage = [...lines];
    garbage[3] = '{"type":"face","oops":';
    const broken = await importText(garbage.join('\n'), '?name=t3');
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ code: 'invalid_import', details: { line: 4 } });
    expect(broken.body.message).toMatch(/^line 4: /);

    const faceAt = lines.findIndex((l) => l.includes('"type":"face"'));
    const short = [...lines];
    const rec = JSON.parse(short[faceAt]!) as Json;
    short[faceAt] = JSON.stringify({ ...rec, embedding: rec.embedding.slice(0, 64) });
    const wrong = await importText(short.join('\n'), '?name=t4');
    expect(wrong.body).toMatchObject({ code: 'invalid_import', details: { line: faceAt + 1 } });
    expect(wrong.body.message).toContain('64 values');

    const orphan = [...lines];
    orphan[faceAt] = JSON.stringify({ ...rec, subject_id: 'nobody' });
    expect((await importText(orphan.join('\n'), '?name=t5')).body).toMatchObject({ code: 'invalid_import', details: { line: faceAt + 1 } });

    expect((await importText(exported, '?name=copy')).body.code).toBe('collection_exists');
    expect((await fetch(`${svc.url}/v1/collections/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: exported })).status).toBe(400);
    // A query field sent twice is refused naming it, as on every route, not read as its first value.
    const twice = await fetch(`${svc.url}/v1/collections/source/export?crops=true&crops=false`);
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as Json).message).toContain('crops was sent 2 times');
    expect(await listed()).toEqual(names);
  });
});
