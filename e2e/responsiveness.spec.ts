import { CORPUS } from './support/corpus';
import { dropFiles, expect, openApp, test, waitForIngest, type FixtureFile } from './support/fixtures';
import type { Page } from '@playwright/test';

const HUB = `http://127.0.0.1:${process.env.HUB_PORT ?? 11436}`;
test.use({ allowedOrigins: [HUB] });

const WORDS =
  'river valley granite harbour lantern meadow orchard copper signal thunder glacier compass willow ember quartz canyon falcon marble prairie beacon'.split(' ');

/** Many documents of plain sentences: enough passages to keep the models busy for a while. */
function largeLibrary(files: number, sentencesPerFile: number): FixtureFile[] {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  return Array.from({ length: files }, (_, f) => {
    const sentences: string[] = [];
    for (let s = 0; s < sentencesPerFile; s++) {
      const words = Array.from({ length: 12 }, () => WORDS[next() % WORDS.length]);
      sentences.push(`${words.join(' ')} ${f}-${s}.`);
      if (s % 6 === 5) sentences.push('\n\n');
    }
    return { name: `bulk-${String(f).padStart(3, '0')}.txt`, content: sentences.join(' '), type: 'text/plain' };
  });
}

async function useHubModel(page: Page, modelId: string) {
  await page.getByTestId('settings').click();
  await page.getByTestId('model-choice').selectOption('other');
  await page.getByTestId('model-id').fill(modelId);
  await page.getByTestId('model-host').fill(`${HUB}/`);
  await page.getByTestId('model-apply').click();
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Close settings' }).click();
}

test.describe('responsiveness', () => {
  test.beforeEach(async ({ request }) => {
    await request.post(`${HUB}/__reset`);
  });

  test('a search answers (BM25 and dense) while a large ingest is still embedding, the models running in a worker of their own', async ({ page }) => {
    test.setTimeout(240_000);
    await openApp(page);
    await useHubModel(page, 'sift-test/tiny-bert-embed');
    await dropFiles(page, CORPUS);
    await waitForIngest(page);

    const status = page.getByTestId('ingest-status');
    await dropFiles(page, largeLibrary(20, 160));
    await expect(status).toHaveAttribute('data-state', 'working');
    // Wait until passages are flowing to the inference worker, so the search really competes with them.
    await expect.poll(async () => (await page.evaluate(() => window.__sift!.diagnostics!())).inferenceCalls!.passage, { timeout: 60_000 }).toBeGreaterThan(3);
    const queriesBefore = (await page.evaluate(() => window.__sift!.diagnostics!())).inferenceCalls!.query;

    const asked = Date.now();
    await page.getByTestId('search-input').fill('geostationary satellite');
    await expect(page.getByTestId('result-item').first()).toContainText('orbits.txt');
    // Reported, not asserted: timings depend on the machine.
    test.info().annotations.push({ type: 'search during ingest', description: `${Date.now() - asked} ms (UI debounce included)` });
    // Answered before the ingest finished.
    expect(await status.getAttribute('data-state')).toBe('working');

    const diagnostics = await page.evaluate(() => window.__sift!.diagnostics!());
    // The query was embedded (the dense side of the hybrid search) by the inference worker, not the engine's.
    expect(diagnostics.inferenceCalls!.query).toBeGreaterThan(queriesBefore);
    expect(diagnostics.inferenceWorker).toBe(true);
    expect(diagnostics.workers).toEqual({ engine: 'sift-engine', inference: 'sift-inference' });
    expect(diagnostics.crossOriginIsolated).toBe(true);
    // Chunks are sized by the model's own tokenizer, loaded in the engine worker from the model cache.
    expect(diagnostics.tokenCounting).toBe('tokenizer');

    const ingestEnd = Date.now();
    await expect(status).toHaveAttribute('data-state', 'done', { timeout: 180_000 });
    test.info().annotations.push({ type: 'ingest still running after the answer', description: `${Date.now() - ingestEnd} ms` });
    const stats = await page.evaluate(() => window.__sift!.stats());
    expect(stats.documents).toBe(23);
    expect(stats.vectors).toBe(stats.chunks);
  });
});
