import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.ts';

describe('Qdrant settings', () => {
  it('default to a 2 s budget, the facerec_ prefix and 4 MiB requests', () => {
    const c = loadConfig({ QDRANT_URL: 'https://qdrant.example.com/proxy' }, []);
    expect(c.qdrantUrl).toBe('https://qdrant.example.com/proxy');
    expect(c.qdrantTimeoutMs).toBe(2000);
    expect(c.qdrantCollectionPrefix).toBe('facerec_');
    expect(c.qdrantMaxRequestBytes).toBe(4 * 1024 * 1024);
  });

  it('take QDRANT_TIMEOUT_MS, QDRANT_COLLECTION_PREFIX and QDRANT_MAX_REQUEST_BYTES', () => {
    const c = loadConfig({ QDRANT_TIMEOUT_MS: '750', QDRANT_COLLECTION_PREFIX: 'eu-1_', QDRANT_MAX_REQUEST_BYTES: '1048576' }, []);
    expect([c.qdrantTimeoutMs, c.qdrantCollectionPrefix, c.qdrantMaxRequestBytes]).toEqual([750, 'eu-1_', 1048576]);
  });

  it.each([
    [{ QDRANT_TIMEOUT_MS: '0' }, /QDRANT_TIMEOUT_MS/],
    [{ QDRANT_COLLECTION_PREFIX: 'a/b' }, /QDRANT_COLLECTION_PREFIX/],
    [{ QDRANT_MAX_REQUEST_BYTES: '1000' }, /QDRANT_MAX_REQUEST_BYTES/],
    [{ QDRANT_URL: 'not a url' }, /QDRANT_URL/],
  ])('refuse %o, naming the variable', (env, message) => {
    expect(() => loadConfig(env, [])).toThrow(ConfigError);
    expect(() => loadConfig(env, [])).toThrow(message);
  });
});
