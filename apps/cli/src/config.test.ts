import { describe, expect, it } from 'vitest';
import { DEFAULT_URL, resolveConfig } from './config.ts';
import { CliError } from './exit-codes.ts';

describe('resolveConfig', () => {
  it('takes flags first, then FACEREC_URL / FACEREC_API_KEY, then the default', () => {
    expect(resolveConfig({}, {})).toEqual({ url: DEFAULT_URL, apiKey: undefined, json: false });
    expect(resolveConfig({}, { FACEREC_URL: 'http://10.0.0.5:9000/', FACEREC_API_KEY: 'k' })).toEqual({ url: 'http://10.0.0.5:9000', apiKey: 'k', json: false });
    expect(resolveConfig({ url: 'https://faces.example.com/base/', apiKey: 'flag', json: true }, { FACEREC_URL: 'http://x:1', FACEREC_API_KEY: 'env' })).toEqual({
      url: 'https://faces.example.com/base',
      apiKey: 'flag',
      json: true,
    });
    expect(resolveConfig({}, { FACEREC_URL: '', FACEREC_API_KEY: '' })).toEqual({ url: DEFAULT_URL, apiKey: undefined, json: false });
  });

  it('refuses a URL that is not http(s) as a usage error', () => {
    for (const url of ['localhost:8000', 'ftp://x', 'not a url']) {
      expect(() => resolveConfig({ url }, {})).toThrow(CliError);
      try {
        resolveConfig({ url }, {});
      } catch (err) {
        expect((err as CliError).exitCode).toBe(1);
      }
    }
  });
});
