import { CORPUS } from './support/corpus';
import { dropFiles, expect, openApp, stats, test, waitForIngest } from './support/fixtures';
import type { BrowserContext, Page } from '@playwright/test';

/** Waits until the service worker has precached everything and controls the page. */
async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
    return registration.active?.state;
  });
}

/** Cuts the network: every request fails unless the service worker answers it. */
async function goOffline(context: BrowserContext): Promise<void> {
  await context.setOffline(true);
}

test.describe('offline first', () => {
  test('opens, lists and searches with the server unreachable, in the same page and a fresh one', async ({ page, context }, testInfo) => {
    await openApp(page);
    await waitForServiceWorker(page);
    await dropFiles(page, CORPUS);
    await waitForIngest(page);
    const before = await stats(page);

    await goOffline(context);
    await page.reload();
    await page.waitForFunction(() => window.__sift !== undefined);
    await page.evaluate(() => window.__sift!.ready);
    await expect(page.getByTestId('offline-indicator')).toBeVisible();
    await expect(page.getByTestId('doc-item')).toHaveCount(CORPUS.length);
    expect(await stats(page)).toEqual(before);
    await page.getByTestId('search-input').fill('geostationary satellite');
    await expect(page.getByTestId('result-item').first()).toContainText('orbits.txt');
    await page.screenshot({ path: testInfo.outputPath('offline-results.png'), fullPage: true });

    const fresh = await context.newPage();
    await openApp(fresh);
    await expect(fresh.getByTestId('doc-item')).toHaveCount(CORPUS.length);
    await fresh.getByTestId('search-input').fill('sourdough starter');
    await expect(fresh.getByTestId('result-item').first()).toContainText('sourdough.md');
  });

  test('stays cross-origin isolated offline, in the page and in the engine worker', async ({ page, context }) => {
    await openApp(page);
    await waitForServiceWorker(page);
    await goOffline(context);
    await page.reload();
    await page.waitForFunction(() => window.__sift !== undefined);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const diagnostics = await page.evaluate(() => window.__sift!.diagnostics!());
    expect(diagnostics.crossOriginIsolated).toBe(true);
    // Threads need SharedArrayBuffer, which only an isolated page has; 2 cores here give 2 threads.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(diagnostics.wasmThreads).toBe(Math.min(4, cores));
    if (cores >= 2) expect(diagnostics.wasmThreads).toBeGreaterThanOrEqual(2);
  });

  test('the manifest is valid and the service worker controls the page', async ({ page, request }) => {
    await openApp(page);
    await waitForServiceWorker(page);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const href = await page.locator('link[rel=manifest]').getAttribute('href');
    const manifest = await (await request.get(href!)).json();
    expect(manifest).toMatchObject({ name: expect.any(String), short_name: 'Sift', display: 'standalone', start_url: expect.any(String) });
    const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons) expect((await request.get(new URL(icon.src, page.url()).href)).ok()).toBe(true);
  });
});

test.describe('offline answers', () => {
  const LLM = `http://127.0.0.1:${process.env.LLM_PORT ?? 11435}`;
  test.use({ allowedOrigins: [LLM] });

  test('with the app server gone, a local answer endpoint still answers with citations', async ({ page, context, baseURL, request }) => {
    await request.post(`${LLM}/__reset`);
    await openApp(page);
    await waitForServiceWorker(page);
    await dropFiles(page, CORPUS);
    await waitForIngest(page);
    await page.getByTestId('settings').click();
    await page.getByTestId('llm-provider').selectOption('ollama');
    await page.getByTestId('llm-base-url').fill(LLM);
    await page.getByTestId('llm-model').fill('mock-model');
    await page.getByTestId('settings-save').click();
    await expect(page.getByText('Saved.')).toBeVisible();
    await page.getByRole('button', { name: 'Close settings' }).click();

    // The origin server is gone: every request that reaches the network for it fails.
    const app = new URL(baseURL!).origin;
    await context.route((url) => url.origin === app, (route) => route.abort('connectionrefused'));
    await page.reload();
    await page.waitForFunction(() => window.__sift !== undefined);
    await page.evaluate(() => window.__sift!.ready);
    await page.getByTestId('search-input').fill('What is a sourdough starter?');
    await page.getByTestId('ask-button').click();
    const answer = page.getByTestId('answer');
    await expect(answer).toHaveAttribute('data-state', 'done');
    await expect(answer.getByTestId('citation').first()).toBeVisible();
  });
});
