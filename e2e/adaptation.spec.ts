import { dropFiles, expect, openApp, test, waitForIngest } from './support/fixtures';

const TOPICS = [
  ['satellite', 'orbit', 'rocket', 'launch', 'payload', 'altitude'],
  ['sourdough', 'starter', 'flour', 'yeast', 'loaf', 'oven'],
  ['volcano', 'magma', 'lava', 'eruption', 'crater', 'ash'],
];

/** Documents where words of a topic keep each other's company, as a real library's jargon does. */
const LIBRARY = TOPICS.flatMap((words, t) =>
  Array.from({ length: 4 }, (_, d) => ({
    name: `${words[0]}-${d}.txt`,
    // About 40k words in all: enough text to learn from (adapting needs 20k).
    content: Array.from({ length: 300 }, (_, s) => {
      const pick = (k: number) => words[(s * 7 + k * 3 + d) % words.length];
      return `The ${pick(0)} and the ${pick(1)} near the ${pick(2)} with ${pick(3)} (${t}-${d}-${s}).`;
    }).join(' '),
  })),
);

test('a library too small to learn from is refused with a clear message', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, LIBRARY.slice(0, 1));
  await waitForIngest(page);
  await page.getByTestId('settings').click();
  await page.getByTestId('adapt-start').click();
  await expect(page.getByTestId('adaptation').locator('.error')).toContainText('needs at least 20,000');
  await expect(page.getByTestId('adaptation-status')).toContainText('Not adapted');
});

test('adapting to the library trains word vectors, shows similar words, and survives a reload', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, LIBRARY);
  await waitForIngest(page);
  await page.getByTestId('settings').click();
  await expect(page.getByTestId('adaptation-status')).toContainText('Not adapted');
  await page.getByTestId('adapt-start').click();
  await expect(page.getByTestId('adaptation-status')).toContainText('Adapted to this library', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Close settings' }).click();
  await page.getByTestId('settings').click();
  await expect(page.getByTestId('model-current')).toContainText('+adapt');
  await page.getByTestId('similar-input').fill('satellite');
  await page.getByRole('button', { name: 'Similar words' }).click();
  const similar = page.getByTestId('similar-word');
  await expect(similar.first()).toBeVisible();
  // Its nearest neighbours come from its own topic.
  const top = (await similar.allInnerTexts()).slice(0, 3).map((t) => t.split(' ')[0]);
  expect(top.filter((w) => TOPICS[0].includes(w)).length).toBeGreaterThanOrEqual(2);

  await page.reload();
  await page.waitForFunction(() => window.__sift !== undefined);
  await page.evaluate(() => window.__sift!.ready);
  const stats = await page.evaluate(() => window.__sift!.stats());
  expect(stats.vectors).toBe(stats.chunks);
  await page.getByTestId('settings').click();
  await expect(page.getByTestId('adaptation-status')).toContainText('Adapted to this library');
  await page.getByRole('button', { name: 'Close settings' }).click();
  await page.getByTestId('search-input').fill('rocket payload');
  await expect(page.getByTestId('result-item').first()).toContainText('satellite-');
});
