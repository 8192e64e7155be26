import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`, done by .ci/run), never a downloaded browser build. */
export const CHROMIUM = '/usr/bin/chromium';

export interface LoopbackBrowser {
  browser: Browser;
  context: BrowserContext;
  /** Every request the page tried to send anywhere but 127.0.0.1 (and that was aborted). */
  blocked: string[];
  close(): Promise<void>;
}

/**
 * Headless Chromium whose every request to anything but 127.0.0.1 is aborted before it leaves, and whose
 * own background traffic (updates, sync, field trials) is switched off: the page is tested as it runs on
 * an air-gapped network.
 */
export async function launchLoopbackBrowser(): Promise<LoopbackBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'blob:' || url.protocol === 'data:') return route.continue();
    blocked.push(url.href);
    return route.abort();
  });
  return { browser, context, blocked, close: () => browser.close() };
}
