// The remote (Hub) loading path of transformers.js against a local mirror of the
// Hub's URL layout (e2e/hub-mirror/server.mjs): progress, the on-disk cache,
// interrupted downloads and cancellation. No network is used.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { env } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMirror, type RunningMirror } from '../../../e2e/hub-mirror/server.mjs';
import { isEngineError } from '../errors';
import type { ModelLoadProgress } from './load-progress';
import { createAbortableFetch } from './model-cache';
import { TransformersEmbedder } from './transformers-embedder';
import { TransformersReranker } from './transformers-reranker';
import { configureTransformers } from './transformers-env';

const EMBED_ID = 'sift-test/tiny-bert-embed';
const RERANK_ID = 'sift-test/tiny-bert-rerank';
/** The same files under another owner, so that id shares no in-flight loads with RERANK_ID. */
const ALT_RERANK_ID = 'sift-alt/tiny-bert-rerank';
const FIXTURES = fileURLToPath(new URL('../../../public/models/fixtures/', import.meta.url));

interface EmbedReference {
  cases: { text: string; mean: number[] }[];
}
const reference = JSON.parse(readFileSync(join(FIXTURES, 'tiny-bert-embed/reference.json'), 'utf8')) as EmbedReference;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < Math.min(a.length, b.length); i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Every file under `dir`, relative, for checking what the cache holds. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

async function loadFailure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected the load to fail'),
    (e: unknown) => e,
  );
}

describe('loading models from a Hub mirror', () => {
  let mirror: RunningMirror;
  let cacheDir: string;
  const saved = {
    allowRemoteModels: env.allowRemoteModels,
    allowLocalModels: env.allowLocalModels,
    remoteHost: env.remoteHost,
    cacheDir: env.cacheDir,
    useFSCache: env.useFSCache,
    useBrowserCache: env.useBrowserCache,
    fetch: env.fetch,
    logLevel: env.logLevel,
  };

  beforeAll(async () => {
    mirror = await startMirror({ port: 0, owners: { 'sift-alt': FIXTURES } });
    cacheDir = mkdtempSync(join(tmpdir(), 'sift-hub-cache-'));
    configureTransformers({
      allowRemoteModels: true,
      allowLocalModels: false,
      remoteHost: mirror.url,
      cacheDir,
      logLevel: 'none',
    });
  });

  afterAll(async () => {
    await mirror?.close();
    // Leave transformers.js as other tests expect it.
    Object.assign(env, saved);
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  });

  it('downloads with progress events, caches to disk, and embeds like torch', async () => {
    const events: ModelLoadProgress[] = [];
    const embedder = await TransformersEmbedder.create({
      modelId: EMBED_ID,
      dtype: 'fp32',
      normalize: false,
      progress: (p) => events.push(p),
    });
    try {
      const statuses = new Set(events.map((e) => e.status));
      for (const s of ['initiate', 'download', 'progress', 'done'] as const) expect(statuses).toContain(s);
      expect(events.every((e) => e.modelId === EMBED_ID)).toBe(true);
      // The model file's progress reaches its full size.
      const onnx = events.filter(
        (e): e is Extract<ModelLoadProgress, { status: 'progress' }> => e.status === 'progress' && e.file === 'onnx/model.onnx',
      );
      expect(onnx.length).toBeGreaterThan(0);
      expect(onnx.at(-1)).toMatchObject({ loaded: 394_842, total: 394_842, progress: 100 });

      const ref = reference.cases[0];
      const vector = await embedder.embed([ref.text], 'passage');
      expect(maxAbsDiff(vector, ref.mean)).toBeLessThan(1e-5);
    } finally {
      await embedder.dispose();
    }
    const fetched = mirror.state.requests.filter((r) => r.status === 200).map((r) => r.path);
    expect(fetched).toContain(`/${EMBED_ID}/resolve/main/onnx/model.onnx`);
    expect(fetched).toContain(`/${EMBED_ID}/resolve/main/tokenizer.json`);
    expect(listFiles(cacheDir)).toEqual(
      expect.arrayContaining([`${EMBED_ID}/config.json`, `${EMBED_ID}/onnx/model.onnx`, `${EMBED_ID}/tokenizer.json`]),
    );
  });

  it('loads again from the cache with the mirror stopped', async () => {
    await mirror.close();
    const embedder = await TransformersEmbedder.create({ modelId: EMBED_ID, dtype: 'fp32', normalize: false });
    try {
      const ref = reference.cases[0];
      expect(maxAbsDiff(await embedder.embed([ref.text], 'passage'), ref.mean)).toBeLessThan(1e-5);
    } finally {
      await embedder.dispose();
    }
    // A fresh mirror for the tests that follow; the cache is keyed by id, not host.
    mirror = await startMirror({ port: 0, owners: { 'sift-alt': FIXTURES } });
    configureTransformers({ remoteHost: mirror.url });
  });

  it('an interrupted download fails with MODEL_LOAD_FAILED, leaves no partial file, and a retry works', async () => {
    // Another id for the first failure: transformers.js shares in-flight file loads by id, and
    // a retry started while the failed attempt's other files are still streaming would join them.
    mirror.setMode('truncate');
    const whole = await loadFailure(TransformersEmbedder.create({ modelId: ALT_RERANK_ID, dtype: 'fp32' }));
    expect(isEngineError(whole) && whole.code).toBe('MODEL_LOAD_FAILED');
    expect(isEngineError(whole) && whole.details.modelId).toBe(ALT_RERANK_ID);
    expect((whole as Error).message.length).toBeGreaterThan(0);
    expect(mirror.state.requests.some((r) => r.outcome === 'truncated')).toBe(true);

    // Only the model file cut short: the small JSON files arrive, the big one does not.
    mirror.setMode('truncate', '.onnx');
    const model = await loadFailure(TransformersReranker.create({ modelId: RERANK_ID, dtype: 'fp32' }));
    expect(isEngineError(model) && model.code).toBe('MODEL_LOAD_FAILED');
    const cut = mirror.state.requests.filter((r) => r.outcome === 'truncated').map((r) => r.path);
    expect(cut).toContain(`/${RERANK_ID}/resolve/main/onnx/model.onnx`);
    expect(listFiles(join(cacheDir, RERANK_ID)).filter((f) => f.includes('onnx'))).toEqual([]);

    mirror.setMode('normal');
    const reranker = await TransformersReranker.create({ modelId: RERANK_ID, dtype: 'fp32' });
    expect((await reranker.score('cats', ['cats sleep', 'stock market'])).length).toBe(2);
    await reranker.dispose();
    expect(listFiles(join(cacheDir, RERANK_ID))).toContain('onnx/model.onnx');
  });

  it('abort() of the download fetch cancels a slow load with CANCELLED', async () => {
    const downloads = createAbortableFetch(saved.fetch);
    env.fetch = downloads.fetch;
    mirror.setMode('slow', '.onnx');
    let aborted = false;
    try {
      const failure = await loadFailure(
        TransformersEmbedder.create({
          modelId: EMBED_ID,
          dtype: 'q8', // model_quantized.onnx is not cached yet
          progress: (p) => {
            if (!aborted && p.status === 'progress' && p.file.endsWith('.onnx') && p.loaded > 0) {
              aborted = true;
              downloads.abort();
            }
          },
        }),
      );
      expect(aborted).toBe(true);
      expect(isEngineError(failure) && failure.code).toBe('CANCELLED');
      expect(listFiles(join(cacheDir, EMBED_ID, 'onnx'))).toEqual(['model.onnx']);
    } finally {
      env.fetch = saved.fetch;
      mirror.setMode('normal');
    }
  });
});
