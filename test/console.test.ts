/**
 * The web console in a real browser: Debian's headless Chromium driven by playwright-core, against the real
 * service process started with API_KEYS, on real photos. Requests to anything but 127.0.0.1 are aborted.
 * The screenshot goes to a temp folder and is deleted with it (it shows real people's faces).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacerecClient, expectData, type FacerecClient } from '@facerec/client';
import { CHROMIUM, launchLoopbackBrowser, type LoopbackBrowser } from './support/browser.ts';
import { type ChildService, startChildService } from './support/child-service.ts';
import { facesRoot, identities, photos } from './support/shared-faces.ts';

const KEY = 'console-test-key';
const GROUP = join(facesRoot, 'faceapijs_bbt_group', 'bbt1.jpg');
/** The stroke colours of the face boxes in apps/console/web/styles.css, by decision. */
const BOX_RGB = { match: [0x00, 0xe0, 0x60], unknown: [0xff, 0xb0, 0x00], ambiguous: [0xff, 0x3b, 0x30] } as const;

describe('web console in Chromium', () => {
  let svc: ChildService;
  let api: FacerecClient;
  let chrome: LoopbackBrowser;
  let page: Page;
  let shots: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
    // The console as its sources are now (postinstall built it once; a change since would be tested stale).
    execFileSync('npm', ['run', '--silent', 'build:console'], { cwd: new URL('..', import.meta.url), stdio: 'inherit' });
    svc = await startChildService({ API_KEYS: KEY });
    api = createFacerecClient({ baseUrl: svc.url, apiKey: KEY });
    expectData(await api.http.POST('/v1/collections', { body: { name: 'bbt' } }));
    for (const person of identities('faceapijs_bbt')) {
      expectData(await api.enrollFace('bbt', { image: new File([readFileSync(photos('faceapijs_bbt', person)[0]!)], 'face.png'), subject_id: person }));
    }
    chrome = await launchLoopbackBrowser();
    page = await chrome.context.newPage();
    page.setDefaultTimeout(20_000);
    shots = mkdtempSync(join(tmpdir(), 'facerec-console-'));
  });
  afterAll(async () => {
    await chrome?.close();
    await svc?.stop();
    rmSync(shots, { recursive: true, force: true });
  });

  it('asks for the API key, then boxes every face of a group photo with landmarks and its 1:N decision', async () => {
    await page.goto(`${svc.url}/console`);
    await page.getByTestId('api-key').fill(KEY);
    await page.getByTestId('api-key').press('Enter');
    await page.getByTestId('collection-select').locator('option[value="bbt"]').waitFor({ state: 'attached' });
    await page.getByTestId('collection-select').selectOption('bbt');
    await page.getByTestId('identify-drop-input').setInputFiles(GROUP);
    await page.getByTestId('identify-summary').waitFor();

    const expected = expectData(await api.identify('bbt', { image: new File([readFileSync(GROUP)], 'bbt1.jpg'), top_k: 3 }));
    expect(expected.faces.length).toBeGreaterThan(1);
    const boxes = page.getByTestId('face-box');
    expect(await boxes.count()).toBe(expected.faces.length);
    expect(await page.locator('circle.landmark').count()).toBe(5 * expected.faces.length);
    expect(await page.getByTestId('face-decision').allTextContents()).toEqual(expected.faces.map((f) => f.decision));
    expect(await page.getByTestId('identify-summary').textContent()).toContain(`${expected.faces.length} faces in bbt1.jpg`);

    // The boxes are really drawn: the screenshot has each box's stroke colour on the middle of its top edge.
    const file = join(shots, 'identify.png');
    await page.screenshot({ path: file, fullPage: true });
    const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const scale = info.width / 1280;
    for (const [i, face] of expected.faces.entries()) {
      const rect = (await boxes.nth(i).boundingBox())!;
      const want = BOX_RGB[face.decision];
      const cx = Math.round((rect.x + rect.width / 2) * scale);
      let best = Number.POSITIVE_INFINITY;
      for (let dy = -3; dy <= 3; dy++) {
        const y = Math.round(rect.y * scale) + dy;
        const o = (y * info.width + cx) * 3;
        best = Math.min(best, Math.abs(data[o]! - want[0]) + Math.abs(data[o + 1]! - want[1]) + Math.abs(data[o + 2]! - want[2]));
      }
      expect(best, `face ${i} (${face.decision}) box stroke in the screenshot`).toBeLessThan(60);
    }
  });

  it('compares two photos, browses collections and subjects, and watches a batch job', async () => {
    const [first, second] = photos('krasserm_lfw10', identities('krasserm_lfw10')[0]!);
    await page.goto(`${svc.url}/console/#compare`);
    await page.getByTestId('compare-a-input').setInputFiles(first!);
    await page.getByTestId('compare-b-input').setInputFiles(second!);
    expect(await page.getByTestId('compare-verdict').textContent()).toBe('Same person');
    expect(await page.getByTestId('face-box').count()).toBe(2);

    await page.goto(`${svc.url}/console/#collections`);
    await page.getByTestId('collection-row').filter({ hasText: 'bbt' }).click();
    await page.getByTestId('subject-row').first().waitFor();
    expect(await page.getByTestId('subject-row').count()).toBe(identities('faceapijs_bbt').length);
    await page.getByTestId('subject-row').filter({ hasText: 'sheldon' }).click();
    await page.getByTestId('face-entry').waitFor();
    expect(await page.getByTestId('face-entry').count()).toBe(1);

    const images = photos('krasserm_lfw10', identities('krasserm_lfw10')[1]!).map((p, i) => new File([readFileSync(p)], `${i}.jpg`));
    const job = expectData(await api.submitExtractJob({ images }));
    await page.goto(`${svc.url}/console/#jobs/${job.job_id}`);
    await page.getByTestId('job-state').filter({ hasText: 'completed' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('job-state').textContent()).toContain(`${images.length}/${images.length} done`);

    // Nothing the console did needed anything but this gateway.
    expect(chrome.blocked).toEqual([]);
  });
});
