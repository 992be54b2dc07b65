/**
 * Runs the embed benchmark in headless Chromium (onnxruntime-web WASM, 1 and
 * 2 threads): bundles bench/embed-browser-entry.ts with esbuild, serves it with
 * the ORT WASM files and the bench model from a cross-origin-isolated local
 * server, and drives the page with Playwright.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS } from '../scripts/chromium-path.mjs';
import { serveStatic } from './browser-harness';
import type { BenchRow, Condition } from './embed-common';
import type { PageConfig, PageResult } from './embed-browser-entry';

export interface BrowserBenchOptions {
  root: string;
  modelsDir: string;
  modelId: string;
  conditions: Condition[];
  minTime: number;
  quick: boolean;
}

export async function runBrowserBench(o: BrowserBenchOptions): Promise<BenchRow[]> {
  let esbuild: typeof import('esbuild');
  let chromium: typeof import('@playwright/test').chromium;
  try {
    esbuild = await import('esbuild');
    ({ chromium } = await import('@playwright/test'));
  } catch (error) {
    console.warn(`browser bench skipped: ${(error as Error).message}`);
    return [];
  }
  if (!existsSync('/usr/bin/chromium')) {
    console.warn('browser bench skipped: /usr/bin/chromium not found');
    return [];
  }
  const outDir = mkdtempSync(join(tmpdir(), 'sift-embed-browser-'));
  await esbuild.build({
    entryPoints: [join(o.root, 'bench/embed-browser-entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(outDir, 'bench.js'),
    logLevel: 'error',
    // The web build of transformers.js mentions Node modules behind runtime checks.
    external: ['node:*', 'fs', 'path', 'url', 'sharp', 'onnxruntime-node'],
  });
  const html = '<!doctype html><meta charset="utf-8"><title>embed bench</title><script type="module" src="/bundle/bench.js"></script>';
  const server = await serveStatic(
    {
      '/bundle/': outDir,
      '/ort/': join(o.root, 'node_modules/onnxruntime-web/dist'),
      '/models/': o.modelsDir,
    },
    html,
  );
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  // WASM on 2 shared cores is slow: two short conditions, plus b32-l256 (named in
  // CONTRACTS) with 2 threads only, keep a full run to a few minutes.
  const pick = (wanted: number[][]) => o.conditions.filter((c) => wanted.some(([b, l]) => c.batch === b && c.seqLen === l));
  const rows: BenchRow[] = [];
  try {
    for (const threads of [1, 2]) {
      const conditions = pick(o.quick ? [[1, 32]] : threads === 2 ? [[1, 32], [8, 32], [32, 256]] : [[1, 32], [8, 32]]);
      // A fresh page per thread count: onnxruntime-web fixes its threads when the WASM starts.
      const page = await browser.newPage();
      page.on('pageerror', (e) => console.warn(`page error: ${e.message}`));
      await page.goto(server.url);
      await page.waitForFunction(() => 'runEmbedBench' in globalThis);
      const cfg: PageConfig = { threads, bigBatchTokens: 2048, modelId: o.modelId, dtypes: ['fp32', 'q8'], conditions, minTime: o.minTime };
      const out = await page.evaluate(
        (c) => (globalThis as unknown as { runEmbedBench: (c: PageConfig) => Promise<{ isolated: boolean; results: PageResult[] }> }).runEmbedBench(c),
        cfg,
      );
      const env = `wasm${threads}`;
      if (!out.isolated && threads > 1) console.warn('page is not cross-origin isolated: WASM threads unavailable');
      for (const r of out.results) {
        const base = { index: o.modelId, env, 'recall@10': null, build_s: null, bytes_per_vector: 384 * 4, runs: r.runs };
        const params = { dtype: r.dtype, batch: r.batch, seqLen: r.seqLen };
        const rate = (s: number) => ({ qps: r.batch / s, sentences_per_s: r.batch / s, tokens_per_s: (r.batch * r.seqLen) / s, ms_per_batch: s * 1000 });
        rows.push({ engine: 'sift-embed', params, ...base, ...rate(r.oursSeconds), load_s: r.loadOurs, max_abs_diff_vs_ort: r.maxDiff });
        rows.push({ engine: 'onnxruntime-web', params, ...base, ...rate(r.ortSeconds), load_s: r.loadOrt });
        console.log(
          `${env} ${r.dtype} b${r.batch} l${r.seqLen}: sift ${(r.batch / r.oursSeconds).toFixed(1)} sent/s, ort ${(r.batch / r.ortSeconds).toFixed(1)} sent/s (diff ${r.maxDiff.toExponential(1)})`,
        );
      }
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  return rows;
}
