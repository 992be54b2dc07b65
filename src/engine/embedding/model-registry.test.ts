import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import {
  MODEL_PRESETS,
  downloadBytes,
  embedderOptionsFor,
  embeddingDefaults,
  findPreset,
  resolveEmbedderOptions,
  rerankerOptionsFor,
  userPresets,
} from './model-registry';
import type { EmbeddingModelPreset, RerankerModelPreset } from './model-registry';
import { vectorSpaceKey } from './embedder';
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

describe('custom embedding options (issue 5)', () => {
  const invalid = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return isEngineError(error) && error.code === 'INVALID_ARGUMENT' ? error.message : `wrong error: ${String(error)}`;
    }
    return 'no error';
  };

  it('starts from the preset and lets each user option win', () => {
    expect(resolveEmbedderOptions('Xenova/bge-small-en-v1.5')).toMatchObject({ pooling: 'cls', normalize: true, queryPrefix: 'Represent this sentence for searching relevant passages: ' });
    const custom = resolveEmbedderOptions('Xenova/bge-small-en-v1.5', { pooling: 'mean', normalize: false, truncateDim: 128, queryPrefix: '' });
    expect(custom).toMatchObject({ modelId: 'Xenova/bge-small-en-v1.5', dtype: 'q8', maxLength: 512, pooling: 'mean', normalize: false, truncateDim: 128, queryPrefix: '', passagePrefix: '' });
    // Left-out fields keep the preset's value.
    expect(resolveEmbedderOptions('Xenova/e5-small-v2', { truncateDim: 64 })).toMatchObject({ pooling: 'mean', queryPrefix: 'query: ', passagePrefix: 'passage: ', truncateDim: 64 });
    expect(resolveEmbedderOptions('Xenova/e5-small-v2', { truncateDim: undefined }).truncateDim).toBeUndefined();
  });

  it('uses mean pooling and normalisation for a model without a preset, and drops unknown keys', () => {
    const options = resolveEmbedderOptions('someone/model', { pooling: 'cls', extra: 1 } as never);
    expect(options).toEqual({ modelId: 'someone/model', dtype: 'q8', pooling: 'cls', normalize: true, queryPrefix: '', passagePrefix: '' });
    expect(embeddingDefaults('someone/model')).toEqual({ pooling: 'mean', normalize: true, queryPrefix: '', passagePrefix: '' });
    expect(embeddingDefaults('Xenova/e5-small-v2')).toEqual({ pooling: 'mean', normalize: true, dim: 384, queryPrefix: 'query: ', passagePrefix: 'passage: ' });
  });

  it('refuses bad options with a message naming the model and the field', () => {
    expect(invalid(() => resolveEmbedderOptions('Xenova/gte-small', { truncateDim: 385 }))).toMatch(/^Xenova\/gte-small: truncateDim \(385\) exceeds the model's 384 dimensions/);
    expect(invalid(() => resolveEmbedderOptions('Xenova/gte-small', { truncateDim: 0 }))).toMatch(/Xenova\/gte-small: truncateDim must be a positive whole number/);
    expect(invalid(() => resolveEmbedderOptions('a/b', { truncateDim: 2.5 }))).toMatch(/truncateDim/);
    expect(invalid(() => resolveEmbedderOptions('a/b', { pooling: 'max' as never }))).toMatch(/a\/b: pooling must be "mean" or "cls"/);
    expect(invalid(() => resolveEmbedderOptions('a/b', { normalize: 'yes' as never }))).toMatch(/normalize/);
    expect(invalid(() => resolveEmbedderOptions('a/b', { queryPrefix: 3 as never }))).toMatch(/queryPrefix must be text/);
    expect(invalid(() => resolveEmbedderOptions('a/b', { passagePrefix: 'x'.repeat(501) }))).toMatch(/passagePrefix is longer/);
    // Without a preset the size is unknown until the model loads: a large truncation passes here.
    expect(invalid(() => resolveEmbedderOptions('a/b', { truncateDim: 4096 }))).toBe('no error');
  });

  it('CLS pooling and a Matryoshka cut change the vectors and the vector space', async () => {
    configureTransformers({ localModelPath: MODELS_DIR, allowLocalModels: true, allowRemoteModels: false });
    const plain = await TransformersEmbedder.create({ ...resolveEmbedderOptions('fixtures/tiny-bert-embed'), dtype: 'fp32' });
    const custom = await TransformersEmbedder.create({ ...resolveEmbedderOptions('fixtures/tiny-bert-embed', { pooling: 'cls', truncateDim: 16 }), dtype: 'fp32' });
    const raw = await TransformersEmbedder.create({ ...resolveEmbedderOptions('fixtures/tiny-bert-embed', { pooling: 'cls', normalize: false }), dtype: 'fp32' });
    try {
      expect(custom.info).toMatchObject({ dim: 16, pooling: 'cls', normalize: true });
      const [a, b, c] = await Promise.all([plain.embed(['a tiny test'], 'passage'), custom.embed(['a tiny test'], 'passage'), raw.embed(['a tiny test'], 'passage')]);
      expect(a.length).toBe(32);
      expect(b.length).toBe(16);
      // The cut vector is the first 16 CLS dimensions, renormalised.
      let norm = 0;
      for (let i = 0; i < 16; i++) norm += c[i] * c[i];
      norm = Math.sqrt(norm);
      for (let i = 0; i < 16; i++) expect(b[i]).toBeCloseTo(c[i] / norm, 5);
      const keys = new Set([plain.info, custom.info, raw.info].map(vectorSpaceKey));
      expect(keys.size).toBe(3);
    } finally {
      await Promise.all([plain.dispose(), custom.dispose(), raw.dispose()]);
    }
  });
});
