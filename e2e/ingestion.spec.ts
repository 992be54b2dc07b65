import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, openApp, stats, test, waitForIngest } from './support/fixtures';
import type { Page } from '@playwright/test';

const DOCS = join(import.meta.dirname, 'fixtures', 'docs');
const file = (name: string) => ({ name, mimeType: 'application/octet-stream', buffer: readFileSync(join(DOCS, name)) });

async function addFiles(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  await page.getByTestId('file-input').setInputFiles(files);
}

async function search(page: Page, query: string) {
  await page.getByTestId('search-input').fill(query);
  return page.getByTestId('result-item').first();
}

test.describe('ingestion', () => {
  test('each format is searchable, with its page or heading', async ({ page }) => {
    await openApp(page);
    const good = ['three-pages.pdf', 'mixed-scan.pdf', 'report.docx', 'page.html', 'notes.md', 'latin1.txt', 'utf16le-bom.txt', 'people.csv', 'catalog.json'];
    await addFiles(page, good.map(file));
    await waitForIngest(page);
    await expect(page.getByTestId('ingest-error')).toHaveCount(0);
    await expect(page.getByTestId('doc-item')).toHaveCount(good.length);

    const expectations: [string, string, string][] = [
      ['cobalt herons quarry', 'three-pages.pdf', 'page 2'],
      ['tangerine submarines midnight', 'three-pages.pdf', 'page 3'],
      ['velvet anchors seabed', 'mixed-scan.pdf', 'page 3'],
      ['saffron rope', 'report.docx', 'Equipment'],
      ['fossilised ammonites', 'report.docx', 'Findings'],
      ['barometer night', 'page.html', 'Night Watch'],
      ['feed fondant winter', 'notes.md', 'Winter Care'],
      ['crème brûlée façade', 'latin1.txt', ''],
      ['Zürich Grüße', 'utf16le-bom.txt', ''],
      ['Arlington Virginia', 'people.csv', ''],
      ['Bergen warehouse', 'catalog.json', ''],
    ];
    for (const [query, name, where] of expectations) {
      const first = await search(page, query);
      await expect(first, query).toContainText(name);
      if (where) await expect(first.locator('.result-where'), query).toContainText(where);
    }
    // The partly scanned PDF is indexed, and says which page had no text.
    await expect(page.getByTestId('doc-item').filter({ hasText: 'mixed-scan.pdf' })).toHaveAttribute('title', /page 2/i);
  });

  test('every unreadable file gets its own error naming it and the reason, and the rest is stored', async ({ page }) => {
    await openApp(page);
    await page.getByTestId('settings').click();
    await page.getByTestId('max-file-mb').fill('0.05');
    await page.getByTestId('settings-save').click();
    await expect(page.getByText('Saved.')).toBeVisible();
    await page.getByRole('button', { name: 'Close settings' }).click();

    const big = { name: 'huge.txt', mimeType: 'text/plain', buffer: Buffer.from('big words '.repeat(8000)) };
    const bad: [string, RegExp][] = [
      ['notes.xyz', /\.xyz/],
      ['empty.txt', /empty|no text/i],
      ['binary.txt', /binary|not a text|cannot be read/i],
      ['image-renamed.txt', /PNG/],
      ['corrupt.pdf', /PDF|damaged|corrupt|read/i],
      ['encrypted.pdf', /password|encrypt/i],
      ['scanned.pdf', /text layer|scanned|no text/i],
      ['zip-bomb.docx', /zip bomb|too large/i],
      ['huge.txt', /limit|MB|KB/],
    ];
    await addFiles(page, [...bad.filter(([n]) => n !== 'huge.txt').map(([n]) => file(n)), big, file('notes.md'), file('invalid-utf8.txt')]);
    await waitForIngest(page);
    const errors = page.getByTestId('ingest-error');
    await expect(errors).toHaveCount(bad.length);
    for (const [name, reason] of bad) {
      const error = errors.filter({ hasText: name });
      await expect(error, name).toHaveCount(1);
      await expect(error, name).toContainText(reason);
    }
    await expect(page.getByTestId('doc-item')).toHaveCount(2);
    expect((await stats(page)).documents).toBe(2);
  });

  test('dropping a folder walks it recursively', async ({ page }) => {
    const root = mkdtempSync(join(tmpdir(), 'sift-folder-'));
    mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(root, 'top.md'), '# Top\n\nThe walrus keeps a diary.');
    writeFileSync(join(root, 'sub', 'middle.txt'), 'Lanterns hang in the orchard.');
    writeFileSync(join(root, 'sub', 'deeper', 'bottom.txt'), 'A quokka guards the bottom drawer.');
    await openApp(page);
    await page.getByTestId('folder-input').setInputFiles(root);
    await waitForIngest(page);
    await expect(page.getByTestId('doc-item')).toHaveCount(3);
    await expect(await search(page, 'quokka drawer')).toContainText('bottom.txt');
  });

  test('script payloads in documents render as inert text', async ({ page }) => {
    await openApp(page);
    const payload = 'Harmless garnet words <img src=x onerror="window.__xss=1"> and <script>window.__xss=1</script> end.';
    await addFiles(page, [file('page.html'), file('notes.md'), { name: 'payload.txt', mimeType: 'text/plain', buffer: Buffer.from(payload) }]);
    await waitForIngest(page);
    const first = await search(page, 'garnet harmless');
    await expect(first).toContainText('<img src=x onerror=');
    await first.getByRole('button', { name: 'payload.txt' }).click();
    await expect(page.getByTestId('doc-view')).toContainText('<script>');
    await page.keyboard.press('Escape');
    await search(page, 'lighthouse paraffin');
    await search(page, 'beekeeping');
    expect(await page.locator('main img, main script, [data-testid=doc-view] img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
  });
});

test.describe('export and import', () => {
  test('a library exports to one file and imports into another browser profile intact', async ({ page, browser, baseURL }) => {
    await openApp(page);
    await addFiles(page, ['three-pages.pdf', 'report.docx', 'notes.md'].map(file));
    await waitForIngest(page);
    const original = await page.evaluate(() => Promise.all([window.__sift!.stats(), window.__sift!.digest!()]));
    await page.getByTestId('settings').click();
    const downloading = page.waitForEvent('download');
    await page.getByTestId('library-export').click();
    const exported = await (await downloading).path();

    const other = await browser.newContext({ baseURL });
    await other.route('**/*', (route) => (new URL(route.request().url()).origin === new URL(baseURL!).origin ? route.continue() : route.abort()));
    const fresh = await other.newPage();
    await openApp(fresh);
    await fresh.getByTestId('settings').click();
    await fresh.getByTestId('library-import').setInputFiles(exported!);
    await expect(fresh.getByTestId('library-transfer-result')).toContainText('3 added');
    await fresh.getByRole('button', { name: 'Close settings' }).click();
    await expect(fresh.getByTestId('doc-item')).toHaveCount(3);
    expect(await fresh.evaluate(() => Promise.all([window.__sift!.stats(), window.__sift!.digest!()]))).toEqual(original);
    await expect(await search(fresh, 'cobalt herons')).toContainText('three-pages.pdf');

    // Importing the same file again adds nothing; a damaged file is refused by name and changes nothing.
    await fresh.getByTestId('settings').click();
    await fresh.getByTestId('library-import').setInputFiles(exported!);
    await expect(fresh.getByTestId('library-transfer-result')).toContainText('0 added');
    const bytes = readFileSync(exported!);
    bytes[bytes.length - 10] ^= 0xff;
    await fresh.getByTestId('library-import').setInputFiles({ name: 'damaged.siftcol', mimeType: 'application/octet-stream', buffer: bytes });
    await expect(fresh.getByTestId('library-transfer-result')).toContainText('damaged.siftcol');
    expect((await fresh.evaluate(() => window.__sift!.stats())).documents).toBe(3);
    await other.close();
  });
});
