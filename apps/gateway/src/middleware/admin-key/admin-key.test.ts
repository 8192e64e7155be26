import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../app-env.ts';
import { errorResponder } from '../../errors/index.ts';
import { createLogger } from '@facerec/logger';
import { adminKeyAuth } from './admin-key.ts';

function app(keys: string[]) {
  const a = new Hono<AppEnv>();
  a.use('*', async (c, next) => {
    c.set('startedAt', performance.now());
    await next();
  });
  a.use('/admin/*', adminKeyAuth(keys));
  a.get('/admin/queues', (c) => c.text('board'));
  a.onError(errorResponder(createLogger('silent')));
  return a;
}

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('admin key', () => {
  it('is off without ADMIN_API_KEYS: 404 saying how to turn it on', async () => {
    const res = await app([]).request('/admin/queues');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ success: false, code: 'admin_disabled', message: expect.stringContaining('ADMIN_API_KEYS') });
  });

  it('opens with an admin key as Bearer, or as the password of Basic (what a browser sends)', async () => {
    const a = app(['ops-key-1', 'ops-key-2']);
    expect((await a.request('/admin/queues', { headers: { Authorization: 'Bearer ops-key-2' } })).status).toBe(200);
    expect((await a.request('/admin/queues', { headers: { Authorization: basic('anyone', 'ops-key-1') } })).status).toBe(200);
    expect((await a.request('/admin/queues', { headers: { Authorization: basic('ops', 'pa:ss') } })).status).toBe(401);
  });

  it('asks a browser for credentials (401 with a Basic challenge) and refuses other keys', async () => {
    const a = app(['ops-key-1']);
    for (const authorization of [undefined, 'Bearer user-api-key', basic('ops-key-1', ''), 'Basic !!!', 'Token ops-key-1']) {
      const res = await a.request('/admin/queues', { headers: authorization ? { Authorization: authorization } : {} });
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="facerec admin", charset="UTF-8"');
      expect(await res.json()).toMatchObject({ success: false, code: 'unauthorized' });
    }
  });
});
