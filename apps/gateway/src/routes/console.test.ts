import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { createLogger } from '@facerec/logger';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.ts';
import { errorResponder } from '../errors/index.ts';
import { mountConsole } from './console.ts';

const root = mkdtempSync(join(tmpdir(), 'facerec-console-assets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function appWith(dir: string) {
  const app = new OpenAPIHono<AppEnv>();
  app.onError(errorResponder(createLogger('silent')));
  mountConsole(app, dir);
  return app;
}

describe('/console', () => {
  it('serves the built files under /console/ with a CSP that allows only this origin; /console redirects', async () => {
    const dir = join(root, 'built');
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    const app = appWith(`${dir}/`);
    const redirect = await app.request('/console');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/console/');
    const page = await app.request('/console/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const js = await app.request('/console/assets/app.js');
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await app.request('/console/assets/missing.js')).status).toBe(404);
    // Outside the assets folder is never served, however the path is spelled.
    writeFileSync(join(root, 'secret.txt'), 'no');
    for (const path of ['/console/../secret.txt', '/console/%2e%2e/secret.txt', '/console/..%2fsecret.txt']) expect((await app.request(path)).status, path).toBe(404);
  });

  it('answers 503 console_not_built, naming the build command, when the files are missing', async () => {
    const res = await appWith(`${join(root, 'never-built')}/`).request('/console/');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ success: false, code: 'console_not_built', message: expect.stringContaining('npm run build:console') });
  });
});
