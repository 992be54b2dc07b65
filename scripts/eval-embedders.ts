/**
 * The embedding models the eval harness can run, as factories so a model is
 * only loaded when a system needs it. Each entry yields `dense:<name>` and
 * `hybrid:<name>`; the one marked `isDefault` also yields `default`, the
 * app's out-of-the-box configuration (hybrid with that model's weight).
 *
 * Models are the local folders under public/models (the same files the app
 * serves), loaded through transformers.js on onnxruntime-node; nothing is
 * fetched. To add a model, add a row to MODELS.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Embedder } from '../src/engine/embedding/embedder';
import { fusionWeightFor } from '../src/engine/embedding/model-registry';

export interface EmbedderEntry {
  name: string;
  create(): Promise<Embedder>;
  /** Dense weight in hybrid fusion (BM25 gets the rest). */
  denseWeight: number;
  isDefault?: boolean;
}

interface LocalModel {
  /** Folder under public/models. */
  modelId: string;
  name: string;
  /** 'static': the built-in EmbeddingBag model (StaticEmbedder); 'transformers': a BERT-style encoder. */
  loader: 'static' | 'transformers';
  dtype: 'fp32' | 'q8';
  pooling: 'mean' | 'cls';
  queryPrefix?: string;
  passagePrefix?: string;
  denseWeight: number;
  /** Random-weight test model: only run as part of `default`, never as its own dense system. */
  fixture?: boolean;
}

/** In preference order: the first one present is the app's default. */
const MODELS: readonly LocalModel[] = [
  { modelId: 'sift-static-en-v1', name: 'sift-static-en-v1', loader: 'static', dtype: 'q8', pooling: 'mean', denseWeight: fusionWeightFor('sift-static-en-v1') },
  // What the app falls back to until its default model ships: random weights,
  // so fusion gives it almost nothing and BM25 does the work.
  { modelId: 'fixtures/tiny-bert-embed', name: 'fixture-tiny-bert', loader: 'transformers', dtype: 'q8', pooling: 'mean', denseWeight: 0.05, fixture: true },
];

function isComplete(dir: string, dtype: LocalModel['dtype']): boolean {
  const onnx = dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx';
  return ['config.json', 'tokenizer.json', join('onnx', onnx)].every((f) => existsSync(join(dir, f)));
}

export async function availableEmbedders(log: (message: string) => void): Promise<EmbedderEntry[]> {
  const root = resolve('public', 'models');
  const present = MODELS.filter((m) => isComplete(join(root, m.modelId), m.dtype));
  if (present.length === 0) {
    log(`no complete local embedding model under ${root}`);
    return [];
  }
  const entries: EmbedderEntry[] = [];
  let haveDefault = false;
  for (const model of present) {
    const isDefault = !haveDefault;
    haveDefault = true;
    // A fixture is only worth running as the stand-in default.
    if (model.fixture && !isDefault) continue;
    entries.push({
      name: model.name,
      denseWeight: model.denseWeight,
      isDefault,
      create: () => loadLocal(root, model),
    });
  }
  log(`embedding models: ${entries.map((e) => `${e.name}${e.isDefault ? ' (default)' : ''}`).join(', ')}`);
  return entries;
}

/** Whether an entry is a random-weight stand-in (dense/hybrid rows for it would be noise). */
export function isFixture(entry: EmbedderEntry): boolean {
  return MODELS.some((m) => m.name === entry.name && m.fixture === true);
}

async function loadLocal(root: string, model: LocalModel): Promise<Embedder> {
  // Imported lazily so `--systems bm25` never loads onnxruntime.
  if (model.loader === 'static') {
    const { StaticEmbedder } = await import('../src/engine/embedding/static-embedder');
    return StaticEmbedder.create({ modelId: model.modelId, localModelPath: `${root}/`, device: 'cpu' });
  }
  const { configureTransformers } = await import('../src/engine/embedding/transformers-env');
  const { TransformersEmbedder } = await import('../src/engine/embedding/transformers-embedder');
  configureTransformers({ localModelPath: `${root}/`, allowLocalModels: true, allowRemoteModels: false, logLevel: 'error' });
  return TransformersEmbedder.create({
    modelId: model.modelId,
    dtype: model.dtype,
    device: 'cpu',
    pooling: model.pooling,
    normalize: true,
    queryPrefix: model.queryPrefix,
    passagePrefix: model.passagePrefix,
    fixture: model.fixture,
  });
}
