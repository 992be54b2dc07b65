import { CORPUS } from './support/corpus';
import { dropFiles, expect, openApp, test, waitForIngest } from './support/fixtures';
import type { APIRequestContext, Page } from '@playwright/test';

const LLM = `http://127.0.0.1:${process.env.LLM_PORT ?? 11435}`;
const KEY = 'sk-test-4f9a1c-never-leak';

test.use({ allowedOrigins: [LLM] });

async function setMode(request: APIRequestContext, mode: string, extra: Record<string, unknown> = {}) {
  await request.post(`${LLM}/__mode`, { data: { mode, ...extra } });
}

async function configure(page: Page, provider: 'openai' | 'ollama', options: { key?: string; idleSeconds?: number } = {}) {
  await page.getByTestId('settings').click();
  await page.getByTestId('llm-provider').selectOption(provider);
  await page.getByTestId('llm-base-url').fill(provider === 'openai' ? `${LLM}/v1` : LLM);
  await page.getByTestId('llm-api-key').fill(options.key ?? '');
  await page.getByTestId('llm-model').fill('mock-model');
  if (options.idleSeconds) {
    await page.getByText('Prompt', { exact: true }).click();
    await page.getByTestId('llm-idle-timeout').fill(String(options.idleSeconds));
  }
  await page.getByTestId('settings-save').click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Close settings' }).click();
}

async function ingestCorpus(page: Page) {
  await openApp(page);
  await dropFiles(page, CORPUS);
  await waitForIngest(page);
}

async function ask(page: Page, question: string) {
  await page.getByTestId('search-input').fill(question);
  await page.getByTestId('ask-button').click();
}

test.describe('answers with citations', () => {
  test.beforeEach(async ({ request }) => {
    await request.post(`${LLM}/__reset`);
  });

  for (const provider of ['openai', 'ollama'] as const) {
    test(`streams a cited answer through ${provider}, and a citation opens the highlighted passage`, async ({ page, request }, testInfo) => {
      await ingestCorpus(page);
      await setMode(request, 'slow', { slowDelayMs: 40 });
      await configure(page, provider);
      await ask(page, 'How high does a geostationary satellite orbit?');
      const answer = page.getByTestId('answer');
      await expect(answer).toHaveAttribute('data-state', 'streaming');
      await expect(answer).toHaveAttribute('data-state', 'done');
      await expect(answer).toContainText('According to the sources');
      const citations = answer.getByTestId('citation');
      await expect(citations.first()).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath(`answer-${provider}.png`), fullPage: true });

      // The mock quotes the first words of source 1 right after citing it; the highlight must hold that passage.
      const requests = await (await request.get(`${LLM}/__requests`)).json();
      const prompt: string = JSON.stringify(requests.at(-1).body);
      expect(prompt).toContain('geostationary');
      await citations.first().click();
      const highlight = page.getByTestId('doc-view').getByTestId('passage-highlight');
      await expect(highlight).toBeVisible();
      await expect(highlight).toContainText('geostationary satellite');
      await expect(page.getByTestId('doc-view')).toContainText('orbits.txt');
    });
  }

  const failures: [string, string, RegExp][] = [
    ['down', 'LLM_UNREACHABLE', /could not reach|couldn’t reach|not reach/i],
    ['401', 'LLM_UNAUTHORIZED', /key|unauthori[sz]ed|rejected/i],
    ['429', 'LLM_RATE_LIMITED', /too many|rate/i],
    ['500', 'LLM_BAD_RESPONSE', /500|error/i],
    ['malformed', 'LLM_BAD_RESPONSE', /.+/],
    ['hang', 'LLM_TIMEOUT', /.+/],
  ];
  for (const [mode, code, message] of failures) {
    test(`a ${mode} endpoint gives a clear message in the answer and the sources still show`, async ({ page, request }) => {
      await ingestCorpus(page);
      await configure(page, 'openai', { idleSeconds: 2 });
      await setMode(request, mode);
      await ask(page, 'What is a sourdough starter?');
      const error = page.getByTestId('answer').getByTestId('answer-error');
      await expect(error).toHaveAttribute('data-code', code, { timeout: 30_000 });
      await expect(error).toContainText(message);
      await expect(page.locator('.answer-sources li').first()).toContainText('sourdough.md');
    });
  }

  test('the API key goes only to the configured endpoint, and never into an error message', async ({ page, context, request }) => {
    const seen: { url: string; authorization?: string }[] = [];
    context.on('request', (r) => seen.push({ url: r.url(), authorization: r.headers()['authorization'] }));
    await ingestCorpus(page);
    await setMode(request, 'normal', { apiKey: KEY });
    await configure(page, 'openai', { key: KEY });
    await ask(page, 'What do shield volcanoes erupt?');
    await expect(page.getByTestId('answer')).toHaveAttribute('data-state', 'done');
    const recorded = await (await request.get(`${LLM}/__requests`)).json();
    expect(recorded.some((r: { authorization?: string }) => r.authorization === `Bearer ${KEY}`)).toBe(true);
    for (const r of seen) {
      if (new URL(r.url).origin !== LLM) {
        expect(r.authorization ?? '', r.url).not.toContain(KEY);
        expect(r.url).not.toContain(KEY);
      }
    }
    // A wrong key: the server echoes what it got, and the message must not repeat it.
    await setMode(request, '401');
    await ask(page, 'What do shield volcanoes erupt? (again)');
    const error = page.getByTestId('answer-error');
    await expect(error).toBeVisible();
    expect(await page.getByTestId('answer').innerText()).not.toContain(KEY);
  });

  test('model output with script and markup renders as inert text', async ({ page, request }) => {
    await ingestCorpus(page);
    await configure(page, 'ollama');
    await setMode(request, 'xss');
    await page.evaluate(() => delete (window as { __xss?: unknown }).__xss);
    await ask(page, 'Tell me about volcanoes');
    const answer = page.getByTestId('answer');
    await expect(answer).toHaveAttribute('data-state', 'done');
    await expect(answer).toContainText('<script>');
    expect(await answer.locator('script, img, iframe, a[href^="javascript"]').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
  });

  test('a batch of 20 queries exports a CSV with 20 rows', async ({ page }) => {
    await ingestCorpus(page);
    await page.getByTestId('batch-open').click();
    const queries = Array.from({ length: 20 }, (_, i) => `${['lava flows', 'starter yeast', 'satellite orbit', 'Dutch oven'][i % 4]} ${i}`);
    await page.getByTestId('batch-input').fill(queries.join('\n'));
    await page.getByTestId('batch-run').click();
    await expect(page.getByTestId('batch-done')).toContainText('20 queries');
    const downloading = page.waitForEvent('download');
    await page.getByTestId('batch-export-csv').click();
    const download = await downloading;
    const csv = await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8');
    const rows = csv.trim().split('\r\n');
    expect(rows[0]).toMatch(/^query,/);
    expect(rows).toHaveLength(21);
    expect(rows[3]).toContain('satellite orbit 2');
  });
});
