import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './scripts/chromium-path.mjs';

const PORT = Number(process.env.E2E_PORT ?? 4174);
export const baseURL = `http://localhost:${PORT}`;
export const LLM_PORT = Number(process.env.LLM_PORT ?? 11435);
export const HUB_PORT = Number(process.env.HUB_PORT ?? 11436);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  // On CI one retry absorbs a machine hiccup; a retried pass is reported as flaky, not hidden.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: CHROMIUM_ARGS,
    },
  },
  webServer: [
    {
      command: `node e2e/llm-server/server.mjs --port ${LLM_PORT}`,
      url: `http://127.0.0.1:${LLM_PORT}/v1/models`,
      reuseExistingServer: !process.env.CI,
      timeout: 20_000,
    },
    {
      command: `node e2e/hub-mirror/server.mjs --port ${HUB_PORT}`,
      url: `http://127.0.0.1:${HUB_PORT}/sift-test/tiny-bert-embed/resolve/main/config.json`,
      reuseExistingServer: !process.env.CI,
      timeout: 20_000,
    },
    {
    command: `npx vite build --outDir dist-e2e && npx vite preview --outDir dist-e2e --port ${PORT} --strictPort --host 127.0.0.1`,
    url: baseURL,
    timeout: 240_000,
    reuseExistingServer: !process.env.CI,
    env: { SIFT_TEST_HOOKS: '1' },
    stdout: 'pipe',
    },
  ],
});
