import { join } from 'node:path';
import { chromiumPath } from '../scripts/chromium-path.mjs';
import { CORPUS } from './support/corpus';
import { dropFiles, expect, openApp, test, waitForIngest } from './support/fixtures';
import type { APIRequestContext, Page } from '@playwright/test';

const HUB = `http://127.0.0.1:${process.env.HUB_PORT ?? 11436}`;
test.use({ allowedOrigins: [HUB] });

async function mirrorMode(request: APIRequestContext, mode: string, extra: Record<string, unknown> = {}) {
  await request.post(`${HUB}/__mode`, { data: { mode, ...extra } });
}

async function chooseHubModel(page: Page, modelId: string) {
  await page.getByTestId('settings').click();
  await page.getByTestId('model-choice').selectOption('other');
  await page.getByTestId('model-id').fill(modelId);
  await page.getByTestId('model-host').fill(`${HUB}/`);
  await page.getByTestId('model-apply').click();
}

async function reopen(page: Page) {
  await page.reload();
  await page.waitForFunction(() => window.__sift !== undefined);
  await page.evaluate(() => window.__sift!.ready);
}

test.describe('models', () => {
  test.beforeEach(async ({ request }) => {
    await request.post(`${HUB}/__reset`);
  });

  test('a Hub model downloads with progress, re-embeds the library, and loads again with the server gone', async ({ page, request }) => {
    await openApp(page);
    await dropFiles(page, CORPUS);
    await waitForIngest(page);
    await mirrorMode(request, 'slow', { slowDelayMs: 30, slowChunkBytes: 16_384, match: '.onnx' });
    await chooseHubModel(page, 'sift-test/tiny-bert-embed');
    await expect(page.getByTestId('model-progress')).toBeVisible();
    const status = page.getByTestId('model-status');
    await expect(status).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await expect(status).toContainText('sift-test/tiny-bert-embed');
    await expect(page.getByTestId('model-current')).toContainText('sift-test/tiny-bert-embed');
    await expect(page.getByTestId('cached-model').filter({ hasText: 'sift-test/tiny-bert-embed' })).toContainText(/KB|MB/);
    const requests = await (await request.get(`${HUB}/__requests`)).json();
    expect(requests.some((r: { path: string }) => r.path.endsWith('model_quantized.onnx') || r.path.endsWith('model.onnx'))).toBe(true);

    // The server goes away: the model comes from this browser's cache.
    await mirrorMode(request, 'down');
    await reopen(page);
    const info = await page.evaluate(() => window.__sift!.stats());
    expect(info.vectors).toBe(info.chunks);
    await expect(page.getByTestId('offline-indicator')).toHaveCount(0);
    await page.getByTestId('settings').click();
    await expect(page.getByTestId('model-current')).toContainText('sift-test/tiny-bert-embed');
    await page.getByRole('button', { name: 'Close settings' }).click();
    await page.getByTestId('search-input').fill('geostationary satellite');
    await expect(page.getByTestId('result-item').first()).toContainText('orbits.txt');
  });

  test('an interrupted download says so and keeps the current model', async ({ page, request }) => {
    await openApp(page);
    await mirrorMode(request, 'truncate', { match: '.onnx' });
    await chooseHubModel(page, 'sift-test/tiny-bert-rerank');
    const status = page.getByTestId('model-status');
    await expect(status).toHaveAttribute('data-state', 'error', { timeout: 60_000 });
    await expect(status).toContainText('previous model is still in use');
    await expect(page.getByTestId('model-current')).toContainText('sift-static-en-v1');
  });

  test('a model folder dropped in is kept locally and works with no network', async ({ page }) => {
    await openApp(page);
    await dropFiles(page, CORPUS);
    await waitForIngest(page);
    await page.getByTestId('settings').click();
    await page.getByTestId('model-folder-input').setInputFiles(join(import.meta.dirname, '..', 'public', 'models', 'fixtures', 'tiny-bert-embed'));
    const status = page.getByTestId('model-status');
    await expect(status).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await expect(page.getByTestId('model-current')).toContainText('user/tiny-bert-embed');
    await reopen(page);
    await page.getByTestId('settings').click();
    await expect(page.getByTestId('model-current')).toContainText('user/tiny-bert-embed');
  });

  test('with no WebGPU adapter the device probe picks WASM', async ({ page, request }) => {
    await openApp(page);
    expect(await page.evaluate(async () => !!(await (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()))).toBe(false);
    await chooseHubModel(page, 'sift-test/tiny-bert-embed');
    await expect(page.getByTestId('model-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await expect(page.getByTestId('model-current')).toContainText('on wasm');
    void request;
  });
});

test.describe('WebGPU', () => {
  test('with a WebGPU adapter the probe times both devices and keeps the faster', async ({ browser, baseURL, request }) => {
    test.setTimeout(180_000);
    await request.post(`${HUB}/__reset`);
    // A browser of its own: WebGPU in headless Chromium needs this flag (a software adapter here).
    const gpuBrowser = await browser.browserType().launch({
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu'],
    });
    try {
      const context = await gpuBrowser.newContext({ baseURL });
      const allowed = new Set([new URL(baseURL!).origin, HUB]);
      await context.route('**/*', (route) => (allowed.has(new URL(route.request().url()).origin) ? route.continue() : route.abort()));
      const page = await context.newPage();
      await openApp(page);
      await chooseHubModel(page, 'sift-test/tiny-bert-embed');
      await expect(page.getByTestId('model-status')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
      const decision = (await page.evaluate(() => window.__sift!.diagnostics!())).device!;
      expect(['webgpu-faster', 'wasm-faster', 'webgpu-failed']).toContain(decision.reason);
      expect(Object.keys(decision.msPerBatch).some((k) => k.startsWith('wasm'))).toBe(true);
      if (decision.reason !== 'webgpu-failed') expect(Object.keys(decision.msPerBatch).some((k) => k.startsWith('webgpu'))).toBe(true);
      await expect(page.getByTestId('model-current')).toContainText(`on ${decision.device}`);
      test.info().annotations.push({ type: 'device', description: JSON.stringify(decision) });
    } finally {
      await gpuBrowser.close();
    }
  });
});
