import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import {
  MODEL_PRESETS,
  downloadBytes,
  embedderOptionsFor,
  findPreset,
  rerankerOptionsFor,
  userPresets,
} from './model-registry';
import type { EmbeddingModelPreset, RerankerModelPreset } from './model-registry';
import { DEFAULT_STATIC_MODEL_ID } from './static-embedder';
import { TransformersEmbedder } from './transformers-embedder';
import { configureTransformers } from './transformers-env';

const MODELS_DIR = fileURLToPath(new URL('../../../public/models/', import.meta.url));

describe('model registry', () => {
  it('has unique ids and sane settings', () => {
    const ids = MODEL_PRESETS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of MODEL_PRESETS) {
      expect(p.maxLength).toBeGreaterThan(0);
      if (!p.builtin) expect(downloadBytes(p)).toBeGreaterThan(0);
      if (p.task === 'embedding') expect(p.dim).toBeGreaterThan(0);
    }
  });

  it('never offers fixtures to users, and has the built-in default', () => {
    const offered = userPresets().map((p) => p.id);
    expect(offered).not.toContain('fixtures/tiny-bert-embed');
    expect(offered).not.toContain('fixtures/tiny-bert-rerank');
    expect(MODEL_PRESETS.filter((p) => p.fixture).length).toBe(2);
    expect(findPreset(DEFAULT_STATIC_MODEL_ID)?.builtin).toBe(true);
    expect(downloadBytes(findPreset(DEFAULT_STATIC_MODEL_ID)!)).toBe(0);
    expect(userPresets('rerank').every((p) => p.task === 'rerank')).toBe(true);
  });

  it('knows the prefixes and pooling of the Hub models', () => {
    const bge = findPreset('Xenova/bge-small-en-v1.5') as EmbeddingModelPreset;
    expect(bge.pooling).toBe('cls');
    expect(bge.queryPrefix).toBe('Represent this sentence for searching relevant passages: ');
    expect(bge.passagePrefix).toBe('');
    for (const id of ['Xenova/e5-small-v2', 'Xenova/multilingual-e5-small']) {
      const e5 = findPreset(id) as EmbeddingModelPreset;
      expect([e5.queryPrefix, e5.passagePrefix, e5.pooling]).toEqual(['query: ', 'passage: ', 'mean']);
    }
    const q8 = downloadBytes(bge, 'q8')!;
    const fp32 = downloadBytes(bge, 'fp32')!;
    expect(q8).toBeLessThan(fp32);
    expect(downloadBytes(bge, 'q4')).toBeUndefined();
  });

  it('records the real sizes of the fixture files', () => {
    for (const id of ['fixtures/tiny-bert-embed', 'fixtures/tiny-bert-rerank']) {
      const p = findPreset(id)!;
      expect(p.sizes.fp32).toBe(statSync(`${MODELS_DIR}${id}/onnx/model.onnx`).size);
      expect(p.sizes.q8).toBe(statSync(`${MODELS_DIR}${id}/onnx/model_quantized.onnx`).size);
    }
  });

  it('turns a preset into working embedder options with its vector space', async () => {
    configureTransformers({ localModelPath: MODELS_DIR, allowLocalModels: true, allowRemoteModels: false });
    const preset = findPreset('fixtures/tiny-bert-embed') as EmbeddingModelPreset;
    const options = embedderOptionsFor(preset, { dtype: 'fp32' });
    const e = await TransformersEmbedder.create(options);
    expect(e.info).toMatchObject({ modelId: preset.id, dtype: 'fp32', dim: preset.dim, pooling: 'mean', fixture: true });
    await e.dispose();
    const builtin = (() => {
      try {
        return embedderOptionsFor(findPreset(DEFAULT_STATIC_MODEL_ID) as EmbeddingModelPreset);
      } catch (err) {
        return err;
      }
    })();
    expect(isEngineError(builtin) && builtin.code).toBe('UNSUPPORTED_OPERATION');
    const rr = rerankerOptionsFor(findPreset('Xenova/ms-marco-MiniLM-L-6-v2') as RerankerModelPreset, { dtype: 'fp32' });
    expect(rr).toMatchObject({ modelId: 'Xenova/ms-marco-MiniLM-L-6-v2', dtype: 'fp32', maxLength: 512 });
  });
});
