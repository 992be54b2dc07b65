import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS } from './support/corpus';
import { dropFiles, expect, stats, test, waitForIngest } from './support/fixtures';
import { startStaticServer } from './support/static-server';

const PORT = 4181;
const ORIGIN = `http://localhost:${PORT}`;

function build(outDir: string, env: Record<string, string>): void {
  const result = spawnSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir'], {
    env: { ...process.env, SIFT_TEST_HOOKS: '1', ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
}

test.use({ baseURL: ORIGIN });

test('a new version is offered, applied on request, and migrates the stored library intact', async ({ page }) => {
  test.setTimeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'sift-update-'));
  const [versionA, versionB] = [join(dir, 'a'), join(dir, 'b')];
  // Version A is the previous release: same code, database schema capped at version 1.
  build(versionA, { SIFT_SCHEMA_CAP: '1' });
  build(versionB, {});
  let serving = versionA;
  const server = await startStaticServer(PORT, () => serving);
  try {
    await page.goto('/');
    await page.waitForFunction(() => window.__sift !== undefined);
    await page.evaluate(() => window.__sift!.ready);
    expect((await page.evaluate(() => window.__sift!.diagnostics!())).schemaVersion).toBe(1);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
      }
    });
    await dropFiles(page, CORPUS);
    await waitForIngest(page);
    const before = await stats(page);
    const digestBefore = await page.evaluate(() => window.__sift!.digest!());

    // Deploy version B. The running page keeps version A until the user accepts.
    serving = versionB;
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    const banner = page.getByTestId('update-banner');
    await expect(banner).toBeVisible({ timeout: 60_000 });
    expect((await page.evaluate(() => window.__sift!.diagnostics!())).schemaVersion).toBe(1);
    // The page reloads itself once the new version takes over; wait for that, not for the old page.
    const reloaded = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
    await banner.getByTestId('update-reload').click();
    await reloaded;
    await page.waitForLoadState();
    await page.waitForFunction(() => window.__sift !== undefined);
    await page.evaluate(() => window.__sift!.ready);
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
    expect((await page.evaluate(() => window.__sift!.diagnostics!())).schemaVersion).toBe(2);
    expect(await stats(page)).toEqual(before);
    expect(await page.evaluate(() => window.__sift!.digest!())).toBe(digestBefore);
    await expect(page.getByTestId('doc-item')).toHaveCount(CORPUS.length);
    await page.getByTestId('search-input').fill('geostationary satellite');
    await expect(page.getByTestId('result-item').first()).toContainText('orbits.txt');
  } finally {
    server.close();
  }
});
