import { CORPUS } from './support/corpus';
import { dropFiles, expect, openApp, test, waitForIngest } from './support/fixtures';

test.describe('search options', () => {
  test('metadata filters narrow results by type and by document', async ({ page }) => {
    await openApp(page);
    await dropFiles(page, CORPUS);
    await waitForIngest(page);
    const results = page.getByTestId('result-item');
    await page.getByTestId('search-input').fill('flows orbits starter');
    await expect(results.filter({ hasText: 'orbits.txt' }).first()).toBeVisible();
    await page.getByTestId('filter-type').selectOption('md');
    await expect(results.first()).toContainText('sourdough.md');
    for (const text of await results.allInnerTexts()) expect(text).toContain('sourdough.md');
    await page.getByTestId('filter-type').selectOption('');
    await page.getByTestId('filter-document').selectOption({ label: 'volcanoes.txt' });
    await expect(results.first()).toContainText('volcanoes.txt');
    for (const text of await results.allInnerTexts()) expect(text).toContain('volcanoes.txt');
  });

  test('the vector index kind is a setting; changing it rebuilds without re-embedding and survives a reload', async ({ page }) => {
    await openApp(page);
    await dropFiles(page, CORPUS);
    await waitForIngest(page);
    await page.getByTestId('settings').click();
    await expect(page.getByTestId('index-in-use')).toContainText('Flat');
    await page.getByTestId('index-kind').selectOption('HNSW');
    await page.getByTestId('index-apply').click();
    await expect(page.getByTestId('index-in-use')).toContainText('HNSW32');
    await page.getByRole('button', { name: 'Close settings' }).click();
    await page.getByTestId('search-input').fill('geostationary satellite');
    await expect(page.getByTestId('result-item').first()).toContainText('orbits.txt');

    await page.reload();
    await page.waitForFunction(() => window.__sift !== undefined);
    await page.evaluate(() => window.__sift!.ready);
    expect(await page.evaluate(() => window.__sift!.openSource!())).toBe('snapshot');
    await page.getByTestId('settings').click();
    await expect(page.getByTestId('index-in-use')).toContainText('HNSW32');
  });
});
