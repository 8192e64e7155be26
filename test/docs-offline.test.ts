/**
 * /docs works with no internet: the page, Swagger UI's script and styles and the OpenAPI document all come
 * from the gateway (swagger-ui-dist installed by npm). Debian's chromium, driven by playwright-core, loads the
 * page with every request not addressed to 127.0.0.1 aborted, and the operations must render.
 */
import { existsSync } from 'node:fs';
import { createRedisTestPrefix, type RedisTestPrefix } from '@facerec/queue/testing';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ChildService, startChildService } from './support/child-service.ts';

const CHROMIUM = '/usr/bin/chromium';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let ns: RedisTestPrefix;
let gateway: ChildService;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)`);
  ns = await createRedisTestPrefix(REDIS_URL);
  // A gateway-only process: /docs needs no models, so the test does not wait for them.
  [gateway, browser] = await Promise.all([
    startChildService({ ROLE: 'gateway', REDIS_URL, QUEUE_PREFIX: ns.prefix }, { until: 'listening' }),
    chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await ns?.cleanup();
});

it('renders every operation from the gateway alone, with everything off-host blocked', async () => {
  const context = await browser.newContext();
  const blocked: string[] = [];
  const served: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') {
      served.push(url.pathname);
      return route.continue();
    }
    blocked.push(url.href);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
  page.on('pageerror', (e) => void problems.push(e.message));

  const res = await page.goto(`${gateway.url}/docs`);
  expect(res?.status()).toBe(200);
  for (const path of ['/api/extract_feature', '/v1/collections/{name}/identify', '/v1/jobs/{id}']) {
    await page.locator(`.opblock-summary-path[data-path="${path}"]`).first().waitFor({ state: 'visible', timeout: 20_000 });
  }
  const text = (await page.locator('#swagger-ui').innerText()).replace(/\u200b/g, '');
  expect(text).toContain('facerec');
  expect(text).toContain('/api/extract_feature');
  expect(text).toContain('/v1/collections/{name}/identify');

  // The operations come from this gateway's own OpenAPI document, not a cached or bundled one.
  const doc = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  const rendered = await page.locator('.opblock-summary-path').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
  expect(new Set(rendered)).toEqual(new Set(Object.keys(doc.paths)));

  expect(blocked).toEqual([]);
  expect(served).toEqual(expect.arrayContaining(['/docs', '/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui.css', '/openapi.json']));
  expect(problems).toEqual([]);
  await context.close();
});
