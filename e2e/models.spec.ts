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

test.describe('custom embedding options and the rerank pipeline (issue 5)', () => {
  test.beforeEach(async ({ request }) => {
    await request.post(`${HUB}/__reset`);
  });

  test('CLS pooling with a Matryoshka cut to 16 dimensions re-embeds the library and still finds results', async ({ page }) => {
    await openApp(page);
    await dropFiles(page, CORPUS);
    await waitForIngest(page);
    await page.getByTestId('settings').click();
    // The built-in model's vector space is fixed.
    await expect(page.getByTestId('model-pooling')).toBeDisabled();
    await page.getByTestId('model-choice').selectOption('other');
    await page.getByTestId('model-id').fill('sift-test/tiny-bert-embed');
    await page.getByTestId('model-host').fill(`${HUB}/`);
    await page.getByTestId('model-advanced').locator('summary').click();
    await expect(page.getByTestId('model-pooling')).toHaveValue('mean');
    await expect(page.getByTestId('model-normalize')).toBeChecked();
    await page.getByTestId('model-pooling').selectOption('cls');
    await page.getByTestId('model-dim').fill('16');
    await page.getByTestId('model-apply').click();
    await expect(page.getByTestId('model-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    const current = page.getByTestId('model-current');
    await expect(current).toContainText('sift-test/tiny-bert-embed');
    await expect(current).toContainText('16 dimensions');
    await expect(current).toContainText('cls pooling');
    const stats = await page.evaluate(() => window.__sift!.stats());
    expect(stats.vectors).toBe(stats.chunks);

    // Too many dimensions for this model: refused with its name, and the model stays.
    await page.getByTestId('model-dim').fill('64');
    await page.getByTestId('model-apply').click();
    const status = page.getByTestId('model-status');
    await expect(status).toHaveAttribute('data-state', 'error', { timeout: 60_000 });
    await expect(status).toContainText('sift-test/tiny-bert-embed');
    await expect(current).toContainText('16 dimensions');

    // The choice (with its options) survives a reload.
    await reopen(page);
    await page.getByTestId('settings').click();
    await expect(page.getByTestId('model-current')).toContainText('16 dimensions');
    await expect(page.getByTestId('model-pooling')).toHaveValue('cls');
    await expect(page.getByTestId('model-dim')).toHaveValue('16');
    await page.getByRole('button', { name: 'Close settings' }).click();
    await page.getByTestId('search-input').fill('geostationary satellite');
    await expect(page.getByTestId('result-item').first()).toBeVisible();
    await expect(page.getByTestId('result-item').filter({ hasText: 'orbits.txt' })).not.toHaveCount(0);
  });

  test('a two-stage pipeline (bi-encoder, then cross-encoder) shows both stages on each result', async ({ page }) => {
    await openApp(page);
    await dropFiles(page, CORPUS);
    await waitForIngest(page);
    await page.getByTestId('settings').click();
    await expect(page.getByTestId('rerank-summary')).toHaveText('off');
    await expect(page.getByTestId('rerank-candidates')).toHaveValue('100');
    await page.getByTestId('rerank-bi-choice').selectOption('other');
    await page.getByTestId('rerank-bi-id').fill('sift-test/tiny-bert-embed');
    await page.getByTestId('reranker-choice').selectOption('other');
    await page.getByTestId('rerank-cross-id').fill('sift-test/tiny-bert-rerank');
    await expect(page.getByTestId('rerank-bi-keep')).toHaveValue('30');
    await expect(page.getByTestId('rerank-cross-keep')).toHaveValue('10');
    await page.getByTestId('rerank-host').fill(`${HUB}/`);
    await page.getByTestId('rerank-apply').click();
    await expect(page.getByTestId('rerank-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await expect(page.getByTestId('rerank-summary')).toHaveText('hybrid 100 → bi-encoder 30 → cross-encoder 10');
    // The library keeps its own (built-in) embedder: the bi-encoder is a model of its own.
    await expect(page.getByTestId('model-current')).toContainText('sift-static-en-v1');
    await page.getByRole('button', { name: 'Close settings' }).click();

    await page.getByTestId('search-input').fill('geostationary satellite');
    const results = page.getByTestId('result-item');
    await expect(results.first()).toBeVisible();
    const count = await results.count();
    expect(count).toBeLessThanOrEqual(10);
    for (let i = 0; i < count; i++) {
      const stages = results.nth(i).getByTestId('hit-stages');
      await expect(stages.locator('[data-stage="fused"]')).toContainText(/hybrid -?\d/);
      await expect(stages.locator('[data-stage="bi-encoder"]')).toContainText(/bi-encoder -?\d/);
      // The cross-encoder ran last, so its score set the order.
      await expect(stages.locator('[data-stage="cross-encoder"].final')).toContainText(/cross-encoder -?\d/);
    }

    // After a reload the saved pipeline loads again in the background; search works meanwhile.
    await reopen(page);
    await expect(async () => {
      await page.getByTestId('search-input').fill('');
      await page.getByTestId('search-input').fill('geostationary satellite');
      await expect(page.getByTestId('result-item').first().locator('[data-stage="cross-encoder"]')).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    await expect(page.getByTestId('result-item').first().locator('[data-stage="bi-encoder"]')).toBeVisible();
  });
});
