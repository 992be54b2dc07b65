import { test as base, expect, type Page } from '@playwright/test';

/**
 * Every test runs with the network cut off at the browser: any request that
 * is not to the app's own origin is aborted and recorded, and the test fails
 * if there was one. This is what "works with no network" means here.
 */
export const test = base.extend<{ foreignRequests: string[]; allowedOrigins: string[] }>({
  /** Origins besides the app's that a test may reach (the mock LLM endpoint). */
  allowedOrigins: [[], { option: true }],
  foreignRequests: [
    async ({ context, baseURL, allowedOrigins }, use) => {
      const allowed = new Set([new URL(baseURL!).origin, ...allowedOrigins]);
      const foreign: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('data:') || url.startsWith('blob:') || allowed.has(new URL(url).origin)) {
          return route.continue();
        }
        foreign.push(url);
        return route.abort('internetdisconnected');
      });
      await use(foreign);
      expect(foreign, 'requests left the app origin').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export interface FixtureFile {
  name: string;
  content: string;
  type?: string;
}

/** Opens the app and waits until the engine (store + model) is ready. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await page.waitForFunction(() => window.__sift !== undefined);
  await page.evaluate(() => window.__sift!.ready);
}

/** Drops files on the drop zone through a real DataTransfer, as a user's drag would. */
export async function dropFiles(page: Page, files: FixtureFile[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const f of list) transfer.items.add(new File([f.content], f.name, { type: f.type ?? 'text/plain' }));
    return transfer;
  }, files);
  const zone = page.getByTestId('drop-zone');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await expect(page.locator('.drop-overlay')).toBeVisible();
  await zone.dispatchEvent('drop', { dataTransfer });
  await expect(page.locator('.drop-overlay')).toBeHidden();
}

export async function waitForIngest(page: Page): Promise<void> {
  await expect(page.getByTestId('ingest-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
}

export async function stats(page: Page) {
  return page.evaluate(() => window.__sift!.stats());
}

declare global {
  interface Window {
    __sift?: {
      ready: Promise<void>;
      stats(): Promise<{ documents: number; chunks: number; vectors: number }>;
      openSource?(): Promise<string>;
      diagnostics?(): Promise<{
        crossOriginIsolated: boolean;
        wasmThreads: number | undefined;
        schemaVersion: number;
        device?: { device: string; reason: string; msPerBatch: Record<string, number> };
        workers?: { engine: string; inference: string };
        inferenceWorker?: boolean;
        inferenceCalls?: { query: number; passage: number; rerank: number };
        tokenCounting?: string;
      }>;
      digest?(): Promise<string>;
      documents?(): Promise<{ name: string; path: string; chunkCount: number; status: string }[]>;
    };
  }
}
