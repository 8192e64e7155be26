import { ValidationError } from '@facerec/errors';
import { createJobQueue, type JobQueue } from '@facerec/queue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveBatchUpload } from './batch-upload.ts';

/** Encoded up front: a Request built on a FormData streams it lazily, and cancelling that stream trips undici. */
async function multipart(files: Array<[field: string, name: string, bytes: string]>, fields: Record<string, string> = {}): Promise<Request> {
  const form = new FormData();
  for (const [field, name, bytes] of files) form.append(field, new Blob([bytes]), name);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const encoded = new Response(form);
  const bytes = new Uint8Array(await encoded.arrayBuffer());
  // Arrives in small pieces over several turns of the event loop, as a network upload does.
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setImmediate(resolve));
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + 64));
      at += 64;
    },
  });
  return new Request('http://x/v1/jobs/extract', { method: 'POST', body, duplex: 'half', headers: { 'content-type': encoded.headers.get('content-type')! } } as RequestInit);
}

describe('receiveBatchUpload over the in-process blob store', () => {
  let queue: JobQueue;
  let stored: string[];
  let deleted: string[];
  const opts = (maxItems = 10) => ({
    fileField: 'images',
    maxItems,
    putBlob: async (bytes: Uint8Array) => {
      const key = await queue.putBlob(bytes);
      stored.push(key);
      return key;
    },
    deleteBlobs: async (keys: string[]) => {
      deleted.push(...keys);
      await queue.deleteBlobs(keys);
    },
  });

  beforeEach(() => {
    queue = createJobQueue({ maxWaiting: 100, webhookSecret: 's' });
    stored = [];
    deleted = [];
  });
  afterEach(async () => {
    await queue.close();
  });

  it('stores every file in upload order under its name as sent, and keeps the text fields', async () => {
    const upload = await receiveBatchUpload(
      await multipart([['images', 'alice/1.jpg', 'aaa'], ['images', 'bob.jpg', 'bbbb'], ['images', 'c.png', 'c']], { manifest: '{"a":1}', faces: 'all' }),
      opts(),
    );
    expect(upload.items.map((i) => i.ref)).toEqual(['alice/1.jpg', 'bob.jpg', 'c.png']);
    expect(upload.items.map((i) => i.blobKey)).toEqual(stored);
    expect(upload.fields).toEqual({ manifest: '{"a":1}', faces: 'all' });

    // The fingerprint follows names, bytes and settings.
    const again = await receiveBatchUpload(await multipart([['images', 'alice/1.jpg', 'aaa'], ['images', 'bob.jpg', 'bbbb'], ['images', 'c.png', 'c']]), opts());
    const changed = await receiveBatchUpload(await multipart([['images', 'alice/1.jpg', 'aaa'], ['images', 'bob.jpg', 'bbbX'], ['images', 'c.png', 'c']]), opts());
    expect(again.fingerprint({ f: 1 })).toBe(upload.fingerprint({ f: 1 }));
    expect(changed.fingerprint({ f: 1 })).not.toBe(upload.fingerprint({ f: 1 }));
    expect(upload.fingerprint({ f: 2 })).not.toBe(upload.fingerprint({ f: 1 }));

    await upload.discard();
    expect(deleted).toEqual(stored.slice(0, 3));
  });

  it('refuses more files than allowed with too_many_items, leaving nothing stored', async () => {
    const files = Array.from({ length: 6 }, (_, i) => ['images', `${i}.jpg`, `bytes-${i}`] as [string, string, string]);
    await expect(receiveBatchUpload(await multipart(files), opts(4))).rejects.toMatchObject({ code: 'too_many_items', status: 400 });
    expect(stored.length).toBeGreaterThan(0);
    expect(deleted.sort()).toEqual(stored.sort());
  });

  it('refuses a file in another field, a body that is not multipart, an empty upload and a cut-off body', async () => {
    await expect(receiveBatchUpload(await multipart([['images', 'a.jpg', 'a'], ['photo', 'b.jpg', 'b']]), opts())).rejects.toMatchObject({ code: 'invalid_request' });
    expect(deleted.sort()).toEqual(stored.sort());

    const json = new Request('http://x/', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    await expect(receiveBatchUpload(json, opts())).rejects.toMatchObject({ code: 'unsupported_media_type' });
    await expect(receiveBatchUpload(await multipart([], { manifest: '{}' }), opts())).rejects.toMatchObject({ code: 'missing_field' });

    const whole = new Uint8Array(await (await multipart([['images', 'a.jpg', 'x'.repeat(5000)]])).arrayBuffer());
    const boundary = new TextDecoder().decode(whole.slice(0, 80)).split('\r\n')[0]!.slice(2);
    const cut = new Request('http://x/', { method: 'POST', body: whole.slice(0, 3000), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    await expect(receiveBatchUpload(cut, opts())).rejects.toBeInstanceOf(ValidationError);
  });

  it('stops at a file in another field even when the next file starts in the same chunk (it used to wait for its end forever)', async () => {
    const form = new FormData();
    form.append('webhook_url', new Blob(['x']), 'w.txt');
    form.append('images', new Blob(['y'.repeat(4000)]), 'a.jpg');
    const encoded = new Response(form);
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    // Two chunks, cut inside the image: the parser sees the bad part and the image's start together.
    const half = bytes.length >> 1;
    const chunks = [bytes.slice(0, half), bytes.slice(half)];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const req = new Request('http://x/', { method: 'POST', body, duplex: 'half', headers: { 'content-type': encoded.headers.get('content-type')! } } as RequestInit);
    await expect(receiveBatchUpload(req, opts())).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining("'webhook_url'") });
    expect(deleted.sort()).toEqual(stored.sort());
  });

  it('keeps every value of a text field sent more than once, so the form check can name the repetition', async () => {
    const upload = await receiveBatchUpload(await multipart([['images', 'a.jpg', 'a']], {}), opts());
    expect(upload.fields).toEqual({});
    const form = new FormData();
    form.append('images', new Blob(['a']), 'a.jpg');
    form.append('faces', 'all');
    form.append('faces', 'primary');
    form.append('__proto__', 'x');
    const encoded = new Response(form);
    const req = new Request('http://x/', { method: 'POST', body: new Uint8Array(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } });
    const twice = await receiveBatchUpload(req, opts());
    expect(twice.fields.faces).toEqual(['all', 'primary']);
    expect(Object.getPrototypeOf(twice.fields)).toBeNull();
    expect(twice.fields.__proto__).toBe('x');
  });
});
