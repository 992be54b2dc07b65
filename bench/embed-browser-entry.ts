/**
 * Bundled for the page of the in-browser embed benchmark: the same comparison
 * as in Node, through onnxruntime-web's WASM backend. transformers.js's web
 * build uses `onnxruntime-web/webgpu`, so raw ORT is imported from the same
 * module: one runtime, one WASM instance, one thread setting for both.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { TransformersEmbedder } from '../src/engine/embedding/transformers-embedder';
import type { ModelDtype } from '../src/engine/embedding/transformers-embedder';
import { configureTransformers } from '../src/engine/embedding/transformers-env';
import { maxAbsDiff, pooledFirstRow, timePair } from './embed-timing';

export interface PageCondition {
  batch: number;
  seqLen: number;
  texts: string[];
  ids: number[][];
}

export interface PageConfig {
  threads: number;
  /** Conditions larger than this many tokens per batch run without warm-up and with 2 runs each (WASM is slow). */
  bigBatchTokens: number;
  modelId: string;
  dtypes: ModelDtype[];
  conditions: PageCondition[];
  minTime: number;
}

export interface PageResult {
  dtype: string;
  batch: number;
  seqLen: number;
  oursSeconds: number;
  ortSeconds: number;
  runs: number;
  maxDiff: number;
  loadOurs: number;
  loadOrt: number;
}

async function runEmbedBench(cfg: PageConfig): Promise<{ isolated: boolean; results: PageResult[] }> {
  configureTransformers({
    localModelPath: '/models/',
    allowLocalModels: true,
    allowRemoteModels: false,
    useBrowserCache: false,
    wasmPaths: { mjs: '/ort/ort-wasm-simd-threaded.asyncify.mjs', wasm: '/ort/ort-wasm-simd-threaded.asyncify.wasm' },
    numThreads: cfg.threads,
    logLevel: 'error',
  });
  const results: PageResult[] = [];
  for (const dtype of cfg.dtypes) {
    let t0 = performance.now();
    const ours = await TransformersEmbedder.create({ modelId: cfg.modelId, dtype, device: 'wasm', pooling: 'mean', normalize: true });
    const loadOurs = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const file = dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx';
    const session = await ort.InferenceSession.create(`/models/${cfg.modelId}/onnx/${file}`, { executionProviders: ['wasm'] });
    const loadOrt = (performance.now() - t0) / 1000;
    for (const c of cfg.conditions) {
      const dims = [c.batch, c.seqLen];
      const flat = BigInt64Array.from(c.ids.flat(), BigInt);
      const feeds = {
        input_ids: new ort.Tensor('int64', flat, dims),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(flat.length).fill(1n), dims),
        token_type_ids: new ort.Tensor('int64', new BigInt64Array(flat.length), dims),
      };
      const mine = (await ours.embed(c.texts.slice(0, 1), 'passage')).subarray(0, 384);
      const raw = await session.run(feeds);
      const maxDiff = maxAbsDiff(mine, pooledFirstRow(raw.last_hidden_state.data as Float32Array, c.seqLen, 384));
      // The check above already ran both on this batch shape; big batches skip the extra warm-up.
      const big = c.batch * c.seqLen > cfg.bigBatchTokens;
      const t = await timePair(() => ours.embed(c.texts, 'passage'), () => session.run(feeds), big ? 0 : cfg.minTime, 2, !big);
      results.push({ dtype, batch: c.batch, seqLen: c.seqLen, oursSeconds: t.a, ortSeconds: t.b, runs: t.runs, maxDiff, loadOurs, loadOrt });
    }
    await ours.dispose();
    await session.release();
  }
  return { isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true, results };
}

(globalThis as { runEmbedBench?: typeof runEmbedBench }).runEmbedBench = runEmbedBench;
