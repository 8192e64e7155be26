import fc from 'fast-check';
import { Hono } from 'hono';
import { logContext } from '@facerec/logger';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../app-env.ts';
import { acceptRequestId, REQUEST_ID_MAX_LENGTH, requestId } from './request-id.ts';

const SAFE = /^[A-Za-z0-9._:@/+=-]+$/;

describe('acceptRequestId', () => {
  it('keeps any safe id as sent and replaces anything else with a fresh UUID: never unbounded, never unsafe', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ unit: 'binary', maxLength: 300 }), { nil: undefined }), (presented) => {
        const id = acceptRequestId(presented);
        expect(id.length).toBeGreaterThan(0);
        expect(id.length).toBeLessThanOrEqual(REQUEST_ID_MAX_LENGTH);
        expect(id).toMatch(SAFE);
        const safe = presented !== undefined && presented.length <= REQUEST_ID_MAX_LENGTH && SAFE.test(presented);
        if (safe) expect(id).toBe(presented);
        else expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }),
    );
  });

  it.each([
    ['a UUID', '3f1c6e2a-1b2c-4d3e-8f90-123456789abc', true],
    ['a W3C traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', true],
    ['an AWS trace header', 'Root=1-67891233-abcdef012345678912345678', true],
    ['128 characters', 'x'.repeat(128), true],
    ['129 characters', 'x'.repeat(129), false],
    ['a space', 'two words', false],
    ['a newline (log injection)', 'id\n{"level":"error"}', false],
    ['a quote', 'id"', false],
    ['empty', '', false],
  ])('%s', (_what, presented, kept) => {
    expect(acceptRequestId(presented) === presented).toBe(kept);
  });
});

describe('requestId middleware', () => {
  function app() {
    const a = new Hono<AppEnv>();
    a.use('*', requestId());
    a.get('/ok', (c) => c.json({ seen: c.get('requestId'), logged: logContext()['request_id'] }));
    a.get('/boom', () => {
      throw new Error('boom');
    });
    a.onError((_err, c) => c.json({ failed: true }, 500));
    return a;
  }

  it('returns the caller id on success and on errors, and sets it in the log context the handler runs in', async () => {
    const ok = await app().request('/ok', { headers: { 'X-Request-Id': 'client-7' } });
    expect(ok.headers.get('x-request-id')).toBe('client-7');
    expect(await ok.json()).toEqual({ seen: 'client-7', logged: 'client-7' });
    const failed = await app().request('/boom', { headers: { 'X-Request-Id': 'client-8' } });
    expect(failed.status).toBe(500);
    expect(failed.headers.get('x-request-id')).toBe('client-8');
    const missing = await app().request('/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('generates a different id for each request without one', async () => {
    const a = app();
    const ids = await Promise.all([1, 2, 3].map(async () => (await a.request('/ok')).headers.get('x-request-id')));
    expect(new Set(ids).size).toBe(3);
  });
});
