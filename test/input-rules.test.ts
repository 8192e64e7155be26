/**
 * How the real service treats input at its edges (issue 9, rows 3, 5, 6, 7): one threshold rule for every
 * route, a depth limit on JSON fields, body limits sized to JSON routes with memory measured, and messages
 * that say what is wrong. The real service as a child process, real photos through the real models.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from './support/api-client.ts';
import { rawApiClient } from './support/raw-http-client.ts';
import { type ChildService, startChildService } from './support/child-service.ts';
import { faceFreeJpeg } from './support/crafted-images.ts';
import { peakRssAfter } from './support/process-memory.ts';
import { identities, photos, readPhoto } from './support/shared-faces.ts';

const SET = 'krasserm_lfw10';
const people = identities(SET);
const photo = (identity: string, n: number) => photos(SET, identity).find((p) => p.endsWith(`/${n}.jpg`))!;

let svc: ChildService;
const api = rawApiClient(() => svc.url);

function form(fields: Array<[string, string | Blob]>, image?: Uint8Array): FormData {
  const f = new FormData();
  if (image) f.append('image', new Blob([image]), 'face.jpg');
  for (const [k, v] of fields) f.append(k, v);
  return f;
}

async function raw(path: string, body: string | Uint8Array, contentType?: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${svc.url}${path}`, { method: 'POST', body, headers: contentType ? { 'content-type': contentType } : {} });
  return { status: res.status, body: (await res.json()) as Json };
}

function expectError(answer: { status: number; body: Json }, status: number, code: string, message?: RegExp) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.body).toMatchObject({ success: false, code });
  expect(typeof answer.body.processing_time).toBe('number');
  if (message) expect(answer.body.message).toMatch(message);
}

const vec = (n: number, v = 0.1) => Array.from({ length: n }, () => v);

beforeAll(async () => {
  svc = await startChildService();
  expect((await api.post('/v1/collections', { name: 'default' })).status).toBe(201);
  expect((await api.post('/v1/collections', { name: 'other' })).status).toBe(201);
  for (const who of people.slice(0, 3)) {
    const enrolled = await api.post('/v1/collections/default/faces', form([['subject_id', who]], readPhoto(photo(who, 1))));
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(201);
  }
});
afterAll(async () => {
  await svc?.stop();
});

describe('row 3: one threshold rule everywhere', () => {
  const stranger = () => readPhoto(photo(people[7]!, 1));

  it('an empty multipart threshold means "not given": the collection threshold decides, never 0', async () => {
    const col = await api.get('/v1/collections/default');
    const legacy = await api.post('/api/identify', form([['threshold', '']], stranger()));
    expect(legacy.status).toBe(200);
    expect(legacy.body).toMatchObject({ user_id: null, message: 'No matching person found', threshold: col.body.threshold });
    const verify = await api.post('/v1/collections/default/verify', form([['subject_id', people[0]!], ['threshold', '']], stranger()));
    expect(verify.body).toMatchObject({ is_same_person: false, threshold: col.body.decision.verify_threshold });
    const identify = await api.post('/v1/collections/default/identify', form([['threshold', ''], ['top_k', '']], stranger()));
    expect(identify.status).toBe(200);
    expect(identify.body.threshold).toBe(col.body.threshold);
    const image = await api.post('/api/compare_image_feature', form([['feature', JSON.stringify(vec(128))], ['threshold', '']], stranger()));
    expect(image.status).toBe(200);
    expect(image.body.threshold).toBeGreaterThan(0.2);
  });

  it('a numeric multipart string is the number; anything else is 400 invalid_request naming threshold', async () => {
    const ok = await api.post('/api/identify', form([['threshold', '0.5']], stranger()));
    expect(ok.body.threshold).toBe(0.5);
    for (const bad of [' ', ' 0.5', 'abc', 'true', 'false', '0x1', 'NaN', 'Infinity', '1e999', '2', '-1.5', '[0.5]', 'null']) {
      for (const path of ['/api/identify', '/v1/collections/default/identify', '/api/compare_image_feature']) {
        const fields: Array<[string, string]> = [['threshold', bad]];
        if (path === '/api/compare_image_feature') fields.push(['feature', JSON.stringify(vec(128))]);
        expectError(await api.post(path, form(fields, stranger())), 400, 'invalid_request', /threshold/);
      }
      const verify = await api.post('/v1/collections/default/verify', form([['subject_id', people[0]!], ['threshold', bad]], stranger()));
      expectError(verify, 400, 'invalid_request', /threshold: must be a number from -1 to 1/);
    }
  });

  it('in JSON only a number in [-1, 1] is a threshold: strings, null, booleans and arrays are 400 naming the field', async () => {
    const features = { feature1: vec(128), feature2: vec(128, 0.2) };
    expect((await api.post('/api/compare_features', { ...features, threshold: 0.5 })).body.threshold).toBe(0.5);
    expect((await api.post('/api/compare_features', features)).status).toBe(200);
    for (const bad of ['', ' ', '0.5', null, false, true, [0.5], {}, 1.5, -2]) {
      expectError(await api.post('/api/compare_features', { ...features, threshold: bad }), 400, 'invalid_request', /threshold: must be a number from -1 to 1/);
      expectError(await api.post('/v1/collections', { name: 'thr', threshold: bad }), 400, 'invalid_request', /threshold/);
    }
    const created = await api.post('/v1/collections', { name: 'thr', threshold: 0.5 });
    expect(created.status).toBe(201);
    expect(created.body.threshold).toBe(0.5);
  });
});

describe('row 5: JSON nested deeper than 32 levels is a 400 naming the field', () => {
  const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  it('in metadata (6,000 deep, 12 KB: under the 16 KB limit), and at exactly 33 levels; 32 levels is fine', async () => {
    const image = readPhoto(photo(people[3]!, 1));
    const metadata = `{"a":${'['.repeat(5999)}${']'.repeat(5999)}}`;
    expect(metadata.length).toBeLessThan(16 * 1024);
    const deep = await api.post('/v1/collections/default/faces', form([['subject_id', 'deep'], ['metadata', metadata]], image));
    expectError(deep, 400, 'invalid_request', /metadata: must be nested at most 32 levels deep/);
    const over = await api.post('/v1/collections/default/faces', form([['subject_id', 'deep'], ['metadata', nested(33)]], image));
    expectError(over, 400, 'invalid_request', /metadata/);
    const fine = await api.post('/v1/collections/default/faces', form([['subject_id', people[3]!], ['metadata', nested(32)]], image));
    expect(fine.status, JSON.stringify(fine.body)).toBe(201);
  });

  it('in a batch manifest nested 100,000 deep', async () => {
    const f = new FormData();
    f.append('images', new Blob([readPhoto(photo(people[4]!, 1))]), 'a.jpg');
    f.append('collection', 'default');
    f.append('manifest', '['.repeat(100_000) + ']'.repeat(100_000));
    expectError(await api.post('/v1/jobs/enroll', f), 400, 'invalid_request', /manifest: must be nested at most 32 levels deep/);
    const g = new FormData();
    g.append('images', new Blob([readPhoto(photo(people[4]!, 1))]), 'a.jpg');
    g.append('collection', 'default');
    g.append('manifest', JSON.stringify({ 'a.jpg': { subject_id: 'x', metadata: JSON.parse(nested(40)) } }));
    expectError(await api.post('/v1/jobs/enroll', g), 400, 'invalid_request', /manifest/);
    expect(svc.child.exitCode).toBeNull();
  });
});

/**
 * POSTs `bytes` bytes of a JSON-looking vector, with a Content-Length or chunked. Resolves with the status,
 * or -1 when the server closed the connection (after its 413) before the client had finished sending.
 */
function oversizedPost(path: string, bytes: number, chunked: boolean): Promise<number> {
  return new Promise((resolve) => {
    const url = new URL(path, svc.url);
    let status = -1;
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': String(bytes) }) } },
      (res) => {
        status = res.statusCode ?? 0;
        res.resume();
        res.on('end', () => resolve(status));
      },
    );
    req.on('error', () => resolve(status));
    const chunk = Buffer.from('0.123456789012345,'.repeat(3641)); // ~64 KiB of numbers
    const head = '{"feature1":[';
    let sent = head.length;
    req.write(head);
    const pump = () => {
      while (sent + chunk.length + 3 <= bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end('0]}'.padStart(bytes - sent, ' '));
    };
    pump();
  });
}

describe('row 6: JSON routes are limited to their largest valid request', () => {
  it('8 concurrent 18 MB compare_features bodies, with and without Content-Length: all 413, peak RSS grows by far less than the bodies', async () => {
    const size = 18 * 1024 * 1024;
    const { result: statuses, growthBytes } = await peakRssAfter(svc.child.pid!, () =>
      Promise.all(Array.from({ length: 8 }, (_, i) => oversizedPost('/api/compare_features', size, i % 2 === 1))),
    );
    // -1: the server answered 413 and closed the connection before the client had finished sending.
    for (const s of statuses) expect([413, -1]).toContain(s);
    // 8 × 18 MB = 144 MB of bodies; the issue measured +430 MiB. Nothing of it may be held.
    expect(growthBytes).toBeLessThan(48 * 1024 * 1024);
    expect(svc.child.exitCode).toBeNull();
    expect((await fetch(`${svc.url}/health`)).status).toBe(200);
  });

  it('after refusing a body a little over its limit, the same keep-alive connection answers the next request', async () => {
    const url = new URL(svc.url);
    const body = JSON.stringify({ feature1: vec(20_000), feature2: vec(128) }); // ~80 KB: over 32 KiB, within the drain budget
    const statuses = await new Promise<string[]>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname);
      let text = '';
      let sentSecond = false;
      socket.on('data', (d: Buffer) => {
        text += d.toString('latin1');
        // The first answer is complete: ask again on the same connection.
        if (!sentSecond && /HTTP\/1\.1 413[\s\S]*\r\n\r\n\{[\s\S]*\}$/.test(text)) {
          sentSecond = true;
          socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        }
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(text.match(/HTTP\/1\.1 \d+/g) ?? []));
      socket.write(`POST /api/compare_features HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    });
    expect(statuses).toEqual(['HTTP/1.1 413', 'HTTP/1.1 200']);
  });

  it('the largest valid compare_features body still fits: two 128-d vectors of long numbers, pretty-printed', async () => {
    const long = Array.from({ length: 128 }, (_, i) => -0.12345678901234567 * (i + 1) * 1e-3);
    const body = JSON.stringify({ feature1: long, feature2: long, threshold: 0.5 }, null, 8);
    const ok = await raw('/api/compare_features', body, 'application/json');
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const tooBig = await raw('/api/compare_features', JSON.stringify({ feature1: vec(100_000), feature2: vec(128) }), 'application/json');
    expectError(tooBig, 413, 'payload_too_large');
    const search = await raw('/v1/collections/default/search', JSON.stringify({ vector: vec(100_000) }), 'application/json');
    expectError(search, 413, 'payload_too_large');
    const create = await raw('/v1/collections', JSON.stringify({ name: 'x'.repeat(40_000) }), 'application/json');
    expectError(create, 413, 'payload_too_large');
  });
});

describe('row 7: messages say what is wrong', () => {
  it('a field sent twice is named as sent twice, in multipart, batch forms and queries', async () => {
    const image = readPhoto(photo(people[0]!, 1));
    const twice = new FormData();
    twice.append('image', new Blob([image]), 'a.jpg');
    twice.append('image', new Blob([image]), 'b.jpg');
    expectError(await api.post('/api/extract_feature', twice), 400, 'invalid_request', /image was sent 2 times; send it once/);
    const flips = form(Array.from({ length: 10_000 }, () => ['flip_tta', 'true'] as [string, string]), image);
    expectError(await api.post('/api/extract_feature', flips), 400, 'invalid_request', /^flip_tta was sent 10000 times; send it once$/);
    const batch = new FormData();
    batch.append('images', new Blob([image]), 'a.jpg');
    batch.append('faces', 'all');
    batch.append('faces', 'primary');
    expectError(await api.post('/v1/jobs/extract', batch), 400, 'invalid_request', /faces was sent 2 times/);
    expectError(await api.get('/v1/collections/default/subjects?limit=1&limit=2'), 400, 'invalid_request', /limit was sent 2 times/);
  });

  it('a BMP, or bytes of no known format, gets a message listing exactly the formats accepted', async () => {
    const bmp = Buffer.alloc(58);
    bmp.write('BM', 0, 'ascii');
    bmp.writeUInt32LE(58, 2);
    bmp.writeUInt32LE(54, 10);
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(1, 18);
    bmp.writeInt32LE(1, 22);
    bmp.writeUInt16LE(1, 26);
    bmp.writeUInt16LE(24, 28);
    const answer = await api.post('/api/extract_feature', form([], bmp));
    expectError(answer, 400, 'unsupported_format', /\(BMP\); send JPEG, PNG, WebP, GIF, TIFF or AVIF$/);
    const unknown = await api.post('/api/extract_feature', form([], Buffer.from('hello, not an image')));
    expectError(unknown, 400, 'unsupported_format', /send JPEG, PNG, WebP, GIF, TIFF or AVIF$/);
  });

  it('an animated GIF or WebP whose first frame has no face says that only the first frame was read', async () => {
    const noFace = await faceFreeJpeg();
    const face = await sharp(readPhoto(photo(people[0]!, 1))).resize(480, 360, { fit: 'fill' }).png().toBuffer();
    const frames = [await sharp(noFace).png().toBuffer(), face];
    for (const [format, bytes] of [
      ['GIF', await sharp(frames, { join: { animated: true } }).gif().toBuffer()],
      ['WebP', await sharp(frames, { join: { animated: true } }).webp().toBuffer()],
    ] as const) {
      const answer = await api.post('/api/extract_feature', form([], bytes));
      expectError(answer, 400, 'no_face', new RegExp(`first frame of this animated ${format}`));
    }
    const still = await api.post('/api/extract_feature', form([], await sharp(noFace).gif().toBuffer()));
    expectError(still, 400, 'no_face', /^No face was detected in the image$/);
  });

  it('a wrong Content-Type is 415 unsupported_media_type, on JSON, multipart and batch routes alike', async () => {
    const json = JSON.stringify({ feature1: vec(128), feature2: vec(128) });
    expectError(await raw('/api/compare_features', json, 'text/plain'), 415, 'unsupported_media_type');
    expectError(await raw('/api/compare_features', json), 415, 'unsupported_media_type');
    expectError(await raw('/api/extract_feature', json, 'application/json'), 415, 'unsupported_media_type');
    expectError(await raw('/v1/collections', json, 'application/xml'), 415, 'unsupported_media_type');
    expectError(await raw('/v1/jobs/extract', json, 'application/json'), 415, 'unsupported_media_type');
    expectError(await raw('/v1/jobs/enroll', 'x', 'text/plain'), 415, 'unsupported_media_type');
  });

  it('a cursor the service did not issue, or issued for another collection, is 400 invalid_cursor', async () => {
    const page = await api.get('/v1/collections/default/subjects?limit=1');
    expect(page.status).toBe(200);
    const cursor = page.body.next_cursor as string;
    expect(typeof cursor).toBe('string');
    expect((await api.get(`/v1/collections/default/subjects?limit=1&cursor=${encodeURIComponent(cursor)}`)).status).toBe(200);
    const forged = Buffer.from(JSON.stringify({ after: 'zzz' })).toString('base64url');
    for (const bad of [forged, `${forged}.AAAA`, cursor.slice(0, -2), 'not-a-cursor', '']) {
      expectError(await api.get(`/v1/collections/default/subjects?cursor=${encodeURIComponent(bad)}`), 400, 'invalid_cursor');
    }
    expectError(await api.get(`/v1/collections/other/subjects?cursor=${encodeURIComponent(cursor)}`), 400, 'invalid_cursor');
  });
});

it('is alive and healthy after all of the above', async () => {
  expect(svc.child.exitCode).toBeNull();
  expect((await fetch(`${svc.url}/health`)).status).toBe(200);
});
