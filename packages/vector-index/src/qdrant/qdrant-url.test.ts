import { ValidationError } from '@facerec/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_HNSW } from '../create-vector-index.ts';
import { QdrantVectorIndex } from './qdrant-index.ts';
import { qdrantAddress } from './qdrant-url.ts';
import { collectionInfo, ok, startQdrantStandIn, type QdrantStandIn } from './testing/qdrant-stand-in.ts';

describe('QDRANT_URL → client address', () => {
  it.each([
    // The cases js-client-rest 1.19 gets wrong when handed `{url}`: no port or :443 became 6333, paths were dropped.
    ['https://qdrant.example.com', { host: 'qdrant.example.com', port: 443, https: true, prefix: '' }],
    ['https://qdrant.example.com:443', { host: 'qdrant.example.com', port: 443, https: true, prefix: '' }],
    ['https://proxy.example.com/qdrant', { host: 'proxy.example.com', port: 443, https: true, prefix: '/qdrant' }],
    ['https://proxy.example.com/a/b/', { host: 'proxy.example.com', port: 443, https: true, prefix: '/a/b' }],
    ['http://qdrant.internal', { host: 'qdrant.internal', port: 80, https: false, prefix: '' }],
    ['http://127.0.0.1:6333', { host: '127.0.0.1', port: 6333, https: false, prefix: '' }],
    ['http://127.0.0.1:6333/', { host: '127.0.0.1', port: 6333, https: false, prefix: '' }],
    ['https://qdrant.example.com:8443/v1/', { host: 'qdrant.example.com', port: 8443, https: true, prefix: '/v1' }],
    ['http://[::1]:6333', { host: '[::1]', port: 6333, https: false, prefix: '' }],
  ])('%s', (url, expected) => {
    expect(qdrantAddress(url)).toEqual(expected);
  });

  it.each([
    ['qdrant example', /not a URL/],
    ['qdrant.example.com:6333', /http:\/\/ or https:\/\//],
    ['ftp://qdrant.example.com', /http:\/\/ or https:\/\//],
    ['https://user:secret@qdrant.example.com', /QDRANT_API_KEY/],
    ['https://qdrant.example.com/?api-key=x', /query string/],
  ])('refuses %s with a message naming the problem', (url, message) => {
    expect(() => qdrantAddress(url)).toThrow(ValidationError);
    expect(() => qdrantAddress(url)).toThrow(message);
  });
});

describe('requests go exactly where QDRANT_URL says (a loopback listener records them)', () => {
  let stand: QdrantStandIn | undefined;
  afterEach(async () => {
    await stand?.close();
    stand = undefined;
  });

  const open = (url: string, apiKey?: string) =>
    new QdrantVectorIndex({
      url,
      apiKey,
      collectionPrefix: 'facerec_',
      hnsw: DEFAULT_HNSW,
      quantization: { type: 'none', rescore: true },
      upsertBatch: 512,
      maxRequestBytes: 4 << 20,
      timeoutMs: 2000,
    });

  it('keeps the port and the path prefix of a proxied URL, and sends the API key header', async () => {
    stand = await startQdrantStandIn({ prefix: '/qdrant-proxy' });
    stand.on('GET /collections/:name/exists', () => ok({ exists: true }));
    stand.on('GET /collections/:name', () => collectionInfo());
    stand.on('POST /collections/:name/points/count', () => ok({ count: 7 }));
    const index = open(`${stand.url}/`, 'secret-key');
    expect(await index.describeCollection('staff')).toEqual({ name: 'staff', dimension: 128, count: 7 });
    // The listener on this (non-6333) port saw every request, each under the prefix.
    expect(stand.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /qdrant-proxy/collections/facerec_staff/exists',
      'GET /qdrant-proxy/collections/facerec_staff',
      'POST /qdrant-proxy/collections/facerec_staff/points/count',
    ]);
    for (const r of stand.requests) {
      expect(r.headers['api-key']).toBe('secret-key');
      expect(r.headers.host).toBe(`127.0.0.1:${stand.port}`);
    }
    expect(stand.requests[2]!.body).toEqual({ exact: true });
    await index.close();
  });

  it('works without a prefix', async () => {
    stand = await startQdrantStandIn();
    stand.on('GET /collections/:name/exists', () => ok({ exists: false }));
    const index = open(stand.url);
    expect(await index.describeCollection('staff')).toBeNull();
    expect(stand.calls()).toEqual(['GET /collections/facerec_staff/exists']);
    expect(stand.requests[0]!.headers['api-key']).toBeUndefined();
  });
});
