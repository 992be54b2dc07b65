import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AutoModel, AutoTokenizer, Tensor } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import { vectorSpaceKey } from './embedder';
import type { ModelLoadProgress } from './load-progress';
import { TransformersEmbedder } from './transformers-embedder';
import { configureTransformers } from './transformers-env';

/** public/models/, where transformers.js finds `fixtures/<name>/...` in Node tests. */
const MODELS_DIR = fileURLToPath(new URL('../../../public/models/', import.meta.url));
const EMBED_ID = 'fixtures/tiny-bert-embed';

function useLocalFixtures(): void {
  configureTransformers({
    localModelPath: MODELS_DIR,
    allowLocalModels: true,
    allowRemoteModels: false,
    logLevel: 'error',
  });
}

function readReference<T>(modelId: string): T {
  return JSON.parse(readFileSync(`${MODELS_DIR}${modelId}/reference.json`, 'utf8')) as T;
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

interface EmbedReference {
  hidden_size: number;
  cases: {
    text: string;
    input_ids: number[];
    dims: [number, number];
    last_hidden_state: number[];
    mean: number[];
    cls: number[];
  }[];
}

const ref = readReference<EmbedReference>(EMBED_ID);
const texts = ref.cases.map((c) => c.text);
const H = ref.hidden_size;
const row = (m: Float32Array, i: number, dim: number) => m.subarray(i * dim, (i + 1) * dim);

function normalized(v: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(v);
  const n = Math.hypot(...out);
  return out.map((x) => x / n);
}

describe('TransformersEmbedder on the tiny BERT fixture', () => {
  let meanRaw: TransformersEmbedder;
  beforeAll(async () => {
    useLocalFixtures();
    meanRaw = await TransformersEmbedder.create({
      modelId: EMBED_ID,
      dtype: 'fp32',
      pooling: 'mean',
      normalize: false,
      fixture: true,
    });
  });

  it('tokenizes like the Python reference', async () => {
    const tok = await AutoTokenizer.from_pretrained(EMBED_ID);
    for (const c of ref.cases) expect(tok.encode(c.text)).toEqual(c.input_ids);
  });

  it('fp32 last_hidden_state matches torch, and pooling matches a manual computation', async () => {
    const model = await AutoModel.from_pretrained(EMBED_ID, { dtype: 'fp32', device: 'cpu' });
    const cls = await TransformersEmbedder.create({ modelId: EMBED_ID, dtype: 'fp32', pooling: 'cls', normalize: false });
    const mean = await meanRaw.embed(texts, 'passage');
    const first = await cls.embed(texts, 'passage');
    for (const [i, c] of ref.cases.entries()) {
      const n = c.input_ids.length;
      const dims = [1, n];
      const out = await model({
        input_ids: new Tensor('int64', BigInt64Array.from(c.input_ids, BigInt), dims),
        attention_mask: new Tensor('int64', new BigInt64Array(n).fill(1n), dims),
      });
      const hidden = out.last_hidden_state.data as Float32Array;
      expect(maxAbsDiff(hidden, c.last_hidden_state)).toBeLessThan(1e-5);
      const manualMean = new Float32Array(H);
      for (let t = 0; t < n; t++) for (let d = 0; d < H; d++) manualMean[d] += hidden[t * H + d] / n;
      expect(maxAbsDiff(row(mean, i, H), manualMean)).toBeLessThan(1e-5);
      expect(maxAbsDiff(row(first, i, H), hidden.subarray(0, H))).toBeLessThan(1e-6);
      expect(maxAbsDiff(row(mean, i, H), c.mean)).toBeLessThan(1e-5);
      expect(maxAbsDiff(row(first, i, H), c.cls)).toBeLessThan(1e-5);
      expect(maxAbsDiff(row(mean, i, H), row(first, i, H))).toBeGreaterThan(1e-2);
    }
    await model.dispose();
    await cls.dispose();
  });

  it('gives each text the same vector alone as in a padded batch, in input order', async () => {
    const batch = await meanRaw.embed([texts[2], texts[0], texts[1], texts[0]], 'passage');
    const alone = [2, 0, 1, 0].map((i) => meanRaw.embed([texts[i]], 'passage'));
    for (const [i, p] of alone.entries()) expect(maxAbsDiff(row(batch, i, H), await p)).toBeLessThan(1e-5);
  });

  it('q8 stays close to fp32', async () => {
    const q8 = await TransformersEmbedder.create({ modelId: EMBED_ID, dtype: 'q8', normalize: false });
    expect(q8.info.dtype).toBe('q8');
    const a = await meanRaw.embed(texts, 'passage');
    const b = await q8.embed(texts, 'passage');
    for (let i = 0; i < texts.length; i++) expect(cosine(row(a, i, H), row(b, i, H))).toBeGreaterThan(0.95);
    expect(maxAbsDiff(a, b)).toBeGreaterThan(0); // it really is a different model file
    await q8.dispose();
  });

  it('applies query and passage prefixes', async () => {
    const e = await TransformersEmbedder.create({
      modelId: EMBED_ID,
      dtype: 'fp32',
      normalize: false,
      queryPrefix: 'query: ',
      passagePrefix: 'passage: ',
    });
    const q = await e.embed([texts[0]], 'query');
    const p = await e.embed([texts[0]], 'passage');
    expect(maxAbsDiff(q, p)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(q, await meanRaw.embed([`query: ${texts[0]}`], 'passage'))).toBeLessThan(1e-5);
    expect(maxAbsDiff(p, await meanRaw.embed([`passage: ${texts[0]}`], 'query'))).toBeLessThan(1e-5);
    expect(e.passageTokenBudget).toBe(e.maxLength - 2 - e.countTokens('passage: '));
    await e.dispose();
  });

  it('normalises, and truncates Matryoshka-style to the first d dims renormalised', async () => {
    const full = await meanRaw.embed(texts, 'passage');
    const norm = await TransformersEmbedder.create({ modelId: EMBED_ID, dtype: 'fp32', normalize: true });
    const cut = await TransformersEmbedder.create({ modelId: EMBED_ID, dtype: 'fp32', normalize: true, truncateDim: 8 });
    expect(norm.info.dim).toBe(H);
    expect(cut.info.dim).toBe(8);
    expect(vectorSpaceKey(cut.info)).not.toBe(vectorSpaceKey(norm.info));
    const n = await norm.embed(texts, 'passage');
    const c = await cut.embed(texts, 'passage');
    expect(c.length).toBe(texts.length * 8);
    for (let i = 0; i < texts.length; i++) {
      expect(maxAbsDiff(row(n, i, H), normalized(row(full, i, H)))).toBeLessThan(1e-6);
      expect(maxAbsDiff(row(c, i, 8), normalized(row(full, i, H).subarray(0, 8)))).toBeLessThan(1e-6);
    }
    await norm.dispose();
    await cut.dispose();
  });

  it('reports info, counts tokens and truncates long texts', async () => {
    expect(meanRaw.info).toMatchObject({ modelId: EMBED_ID, dtype: 'fp32', pooling: 'mean', dim: H, device: 'cpu', fixture: true });
    expect(meanRaw.countTokens('hello world')).toBe(2);
    const short = await TransformersEmbedder.create({ modelId: EMBED_ID, dtype: 'fp32', normalize: false, maxLength: 6 });
    expect(short.maxLength).toBe(6);
    const long = 'one two three four five six seven eight';
    // [CLS] one two three four [SEP]: the closing token is kept.
    const v = await short.embed([long], 'passage');
    expect(maxAbsDiff(v, await meanRaw.embed(['one two three four'], 'passage'))).toBeLessThan(1e-5);
    expect((await meanRaw.embed([], 'query')).length).toBe(0);
    await short.dispose();
  });

  it('reports load progress as a tagged union with the model id', async () => {
    const events: ModelLoadProgress[] = [];
    const e = await TransformersEmbedder.create({ modelId: EMBED_ID, dtype: 'q8', progress: (p) => events.push(p) });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((p) => p.modelId === EMBED_ID)).toBe(true);
    const files = events.flatMap((p) => ('file' in p && p.status === 'done' ? [p.file] : []));
    expect(files.some((f) => f.endsWith('model_quantized.onnx'))).toBe(true);
    await e.dispose();
  });

  it('fails with coded errors', async () => {
    const missing = await TransformersEmbedder.create({ modelId: 'fixtures/no-such-model', dtype: 'fp32' }).catch((e: unknown) => e);
    expect(isEngineError(missing) && missing.code).toBe('MODEL_LOAD_FAILED');
    const bad = await TransformersEmbedder.create({ modelId: EMBED_ID, dtype: 'fp32', truncateDim: H + 1 }).catch((e: unknown) => e);
    expect(isEngineError(bad) && bad.code).toBe('INVALID_ARGUMENT');
    const e = await TransformersEmbedder.create({ modelId: EMBED_ID, dtype: 'fp32' });
    await e.dispose();
    const after = await e.embed(['x'], 'query').catch((err: unknown) => err);
    expect(isEngineError(after) && after.code).toBe('EMBEDDING_FAILED');
  });
});
