import { CORPUS } from './support/corpus';
import { dropFiles, expect, openApp, stats, test, waitForIngest } from './support/fixtures';

test.describe('foundation: drop, search, reload, delete — with no network', () => {
  test('drop files, search, reload, delete', async ({ page }, testInfo) => {
    await openApp(page);
    await expect(page.getByText('Search your documents, privately')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('01-empty-state.png'), fullPage: true });

    await dropFiles(page, CORPUS);
    await waitForIngest(page);
    await expect(page.getByTestId('doc-item')).toHaveCount(CORPUS.length);
    await expect(page.getByTestId('ingest-error')).toHaveCount(0);
    for (const file of CORPUS) await expect(page.getByTestId('doc-item').filter({ hasText: file.name })).toHaveCount(1);
    const before = await stats(page);
    expect(before.documents).toBe(CORPUS.length);
    expect(before.chunks).toBeGreaterThanOrEqual(CORPUS.length);
    expect(before.vectors).toBe(before.chunks);

    await page.getByTestId('search-input').fill('geostationary satellite equator');
    const first = page.getByTestId('result-item').first();
    await expect(first).toContainText('orbits.txt');
    await expect(first.locator('mark').first()).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('02-results.png'), fullPage: true });

    await page.getByTestId('search-input').fill('starter yeast flour');
    await expect(page.getByTestId('result-item').first()).toContainText('sourdough.md');
    await page.screenshot({ path: testInfo.outputPath('03-document-list.png'), fullPage: true });

    // Reload: everything is still there, loaded from the saved index rather than rebuilt.
    await page.reload();
    await page.waitForFunction(() => window.__sift !== undefined);
    await page.evaluate(() => window.__sift!.ready);
    expect(await page.evaluate(() => window.__sift!.openSource!())).toBe('snapshot');
    await expect(page.getByTestId('doc-item')).toHaveCount(CORPUS.length);
    expect(await stats(page)).toEqual(before);
    await page.getByTestId('search-input').fill('pyroclastic magma');
    await expect(page.getByTestId('result-item').first()).toContainText('volcanoes.txt');

    // Delete: the document disappears from the list and from results.
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByTestId('doc-item').filter({ hasText: 'volcanoes.txt' }).getByTestId('doc-delete').click();
    await expect(page.getByTestId('doc-item')).toHaveCount(CORPUS.length - 1);
    await page.getByTestId('search-input').fill('');
    await page.getByTestId('search-input').fill('pyroclastic magma volcanoes');
    await expect(page.getByTestId('result-item').filter({ hasText: 'volcanoes.txt' })).toHaveCount(0);
    const after = await stats(page);
    expect(after.documents).toBe(CORPUS.length - 1);
    expect(after.vectors).toBe(after.chunks);
  });

  test('the add-files button ingests through the file input', async ({ page }) => {
    await openApp(page);
    await page.getByTestId('file-input').setInputFiles(
      CORPUS.slice(0, 2).map((f) => ({ name: f.name, mimeType: f.type ?? 'text/plain', buffer: Buffer.from(f.content) })),
    );
    await waitForIngest(page);
    await expect(page.getByTestId('doc-item')).toHaveCount(2);
  });
});
