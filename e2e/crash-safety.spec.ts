import { expect, openApp, test, waitForIngest } from './support/fixtures';
import type { BrowserContext, Page } from '@playwright/test';

const WORDS = 'amber basalt cedar delta ember fjord garnet harbor indigo juniper kelp lagoon meadow nectar onyx prairie quartz raven sierra tundra umber violet willow xenon yarrow zephyr'.split(' ');

/** 50 distinct documents of a few paragraphs each, so most span several chunks. */
const FILES = Array.from({ length: 50 }, (_, i) => {
  const paragraphs = Array.from({ length: 3 + (i % 4) }, (_, p) =>
    Array.from({ length: 60 }, (_, w) => WORDS[(i * 7 + p * 3 + w * (i % 5 + 1)) % WORDS.length]).join(' ') + ` document ${i} part ${p}.`,
  );
  return { name: `doc-${String(i).padStart(2, '0')}.txt`, mimeType: 'text/plain', buffer: Buffer.from(paragraphs.join('\n\n')) };
});

/** A small seeded generator, so a failing run can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

async function library(page: Page) {
  return page.evaluate(async () => ({
    stats: await window.__sift!.stats(),
    documents: await window.__sift!.documents!(),
    digest: await window.__sift!.digest!(),
  }));
}

async function reference(context: BrowserContext) {
  const page = await context.newPage();
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(FILES);
  await waitForIngest(page);
  const result = await library(page);
  await page.close();
  return result;
}

test.describe('crash safety', () => {
  test.setTimeout(600_000);

  test('killing the tab at random moments never loses or duplicates a chunk', async ({ browser, context }) => {
    const refContext = await browser.newContext();
    const clean = await reference(refContext);
    await refContext.close();
    expect(clean.stats.documents).toBe(FILES.length);
    const chunksOf = new Map(clean.documents.map((d) => [d.path, d.chunkCount]));

    const next = random(20261125);
    for (let round = 0; round < 10; round++) {
      const page = await context.newPage();
      await openApp(page);
      const now = await library(page);
      // Whatever is stored is whole: complete documents with exactly their clean chunk counts, one vector per chunk.
      expect(now.stats.vectors, `round ${round}`).toBe(now.stats.chunks);
      for (const doc of now.documents) {
        expect(doc.status, doc.path).toBe('ready');
        expect(doc.chunkCount, doc.path).toBe(chunksOf.get(doc.path));
      }
      expect(now.stats.chunks).toBe(now.documents.reduce((n, d) => n + d.chunkCount, 0));
      await page.getByTestId('file-input').setInputFiles(FILES);
      await page.waitForTimeout(200 + Math.floor(next() * 3000));
      await page.close();
    }

    const page = await context.newPage();
    await openApp(page);
    if ((await page.getByTestId('interrupted-files').count()) > 0) {
      await page.getByTestId('resume-ingest').click();
      await waitForIngest(page);
    }
    const resumed = await library(page);
    expect(resumed.stats).toEqual(clean.stats);
    expect(resumed.digest).toBe(clean.digest);
  });

  test('two tabs ingesting at once give no corruption and no duplicates', async ({ browser, context }) => {
    const refContext = await browser.newContext();
    const clean = await reference(refContext);
    await refContext.close();

    const [a, b] = [await context.newPage(), await context.newPage()];
    await Promise.all([openApp(a), openApp(b)]);
    await Promise.all([
      a.getByTestId('file-input').setInputFiles(FILES.slice(0, 30)),
      b.getByTestId('file-input').setInputFiles(FILES.slice(20)),
    ]);
    await Promise.all([waitForIngest(a), waitForIngest(b)]);
    // Each tab sees the other's documents once it has finished.
    await expect(a.getByTestId('doc-item')).toHaveCount(FILES.length);
    await expect(b.getByTestId('doc-item')).toHaveCount(FILES.length);
    for (const page of [a, b]) {
      const now = await library(page);
      expect(now.stats).toEqual(clean.stats);
      expect(now.digest).toBe(clean.digest);
    }
    await b.getByTestId('search-input').fill('document 3 part 1');
    await expect(b.getByTestId('result-item').first()).toBeVisible();
  });
});
