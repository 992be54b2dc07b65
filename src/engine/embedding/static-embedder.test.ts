import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import { DEFAULT_STATIC_MODEL_ID, StaticEmbedder } from './static-embedder';
import { fnv1a, ngramHashes, staticTokens } from './static-tokenizer';
import { configureTransformers } from './transformers-env';

const MODELS_DIR = fileURLToPath(new URL('../../../public/models/', import.meta.url));
const MODEL_DIR = `${MODELS_DIR}${DEFAULT_STATIC_MODEL_ID}`;
const STSB = fileURLToPath(new URL('../../../../shared/data/stsb/pairs.tsv', import.meta.url));

/** Ranks with ties averaged, for Spearman's rho. */
function ranks(x: Float64Array): Float64Array {
  const order = Array.from(x.keys()).sort((a, b) => x[a] - x[b]);
  const r = new Float64Array(x.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1]] === x[order[i]]) j++;
    for (let k = i; k <= j; k++) r[order[k]] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

function spearman(a: Float64Array, b: Float64Array): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (ra.length - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i] - mean) * (rb[i] - mean);
    da += (ra[i] - mean) ** 2;
    db += (rb[i] - mean) ** 2;
  }
  return num / Math.sqrt(da * db);
}

interface Reference {
  cases: { text: string; vector: number[] }[];
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

describe('static tokenizer', () => {
  it('folds accents and case and keeps runs of [a-z0-9]', () => {
    expect(staticTokens('Café naïve FAÇADE: Übermensch, COVID-19!')).toEqual([
      'cafe',
      'naive',
      'facade',
      'ubermensch',
      'covid',
      '19',
    ]);
    expect(staticTokens('  ... ')).toEqual([]);
  });

  it('hashes n-grams exactly as gensim FastText does', () => {
    // Values printed by gensim 4.2 ft_hash_bytes(compute_ngrams_bytes('cat', 3, 6)).
    expect(Array.from(ngramHashes('cat', 3, 6))).toEqual([
      1066916747, 453988973, 3961428137, 108289031, 1647127995, 3848351106,
    ]);
    // Non-ASCII bytes are sign-extended (fastText's signed char): gensim gives 1023043777 for 'é'.
    expect(fnv1a(new TextEncoder().encode('é'))).toBe(1023043777);
    expect(ngramHashes('日本語', 3, 6).length).toBe(6);
  });
});

describe.skipIf(!existsSync(`${MODEL_DIR}/reference.json`))('static embedder (shipped model)', () => {
  let embedder: StaticEmbedder;
  const reference = existsSync(`${MODEL_DIR}/reference.json`)
    ? (JSON.parse(readFileSync(`${MODEL_DIR}/reference.json`, 'utf8')) as Reference)
    : { cases: [] };

  beforeAll(async () => {
    configureTransformers({
      localModelPath: MODELS_DIR,
      allowLocalModels: true,
      allowRemoteModels: false,
      logLevel: 'error',
    });
    embedder = await StaticEmbedder.create();
  });

  afterAll(async () => {
    await embedder?.dispose();
  });

  it('reports what it is', () => {
    expect(embedder.info.modelId).toBe(DEFAULT_STATIC_MODEL_ID);
    expect(embedder.info.dim).toBe(reference.cases[0].vector.length);
    expect(embedder.info.normalize).toBe(true);
  });

  it('matches the vectors the python build computed from the same int8 weights', async () => {
    const texts = reference.cases.map((c) => c.text);
    const out = await embedder.embed(texts, 'passage');
    const dim = embedder.info.dim;
    for (let i = 0; i < texts.length; i++) {
      const got = out.subarray(i * dim, (i + 1) * dim);
      expect(maxAbsDiff(got, reference.cases[i].vector), texts[i]).toBeLessThan(1e-4);
    }
  });

  it('gives unknown words a vector from their n-grams', async () => {
    const word = 'qwzxplorificationism';
    const enc = embedder.tokenizer.tokenIds(word);
    expect(enc.oov).toBe(true);
    expect(enc.ids.length).toBeGreaterThan(10);
    const [a, b] = [await embedder.embed([word], 'query'), await embedder.embed([`${word}s`], 'query')];
    expect(norm(a)).toBeCloseTo(1, 5);
    let dot = 0;
    for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
    // Sharing almost all n-grams, the two unknown words must land close together.
    expect(dot).toBeGreaterThan(0.8);
  });

  it('gives zeros for text with no words, without disturbing the rest of the batch', async () => {
    const dim = embedder.info.dim;
    const out = await embedder.embed(['', 'the cat sat', '?!', 'the cat sat'], 'passage');
    expect(norm(out.subarray(0, dim))).toBe(0);
    expect(norm(out.subarray(2 * dim, 3 * dim))).toBe(0);
    expect(norm(out.subarray(dim, 2 * dim))).toBeCloseTo(1, 5);
    expect(maxAbsDiff(out.subarray(dim, 2 * dim), out.subarray(3 * dim, 4 * dim))).toBe(0);
    expect((await embedder.embed([], 'query')).length).toBe(0);
    expect(norm(await embedder.embed([''], 'query'))).toBe(0);
  });

  it('does not depend on how texts are batched', async () => {
    const texts = ['a small dog', 'zwitterionic quarkonium', 'the cat', 'a small dog ran'];
    const whole = await embedder.embed(texts, 'passage');
    const small = await StaticEmbedder.create({ maxBatchSize: 1 });
    try {
      const one = await small.embed(texts, 'passage');
      expect(maxAbsDiff(whole, one)).toBeLessThan(1e-6);
    } finally {
      await small.dispose();
    }
  });

  it('rejects use after dispose with a coded error', async () => {
    const e = await StaticEmbedder.create();
    await e.dispose();
    await expect(e.embed(['x'], 'query')).rejects.toSatisfy(
      (err: unknown) => isEngineError(err) && err.code === 'EMBEDDING_FAILED',
    );
  });

  it.skipIf(!existsSync(STSB))('keeps the STS-B correlation the build measured (0.644)', async () => {
    const rows = readFileSync(STSB, 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split('\t'));
    const dim = embedder.info.dim;
    const a = await embedder.embed(rows.map((r) => r[0]), 'query');
    const b = await embedder.embed(rows.map((r) => r[1]), 'query');
    const cos = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      for (let d = 0; d < dim; d++) cos[i] += a[i * dim + d] * b[i * dim + d];
    }
    const rho = spearman(cos, Float64Array.from(rows, (r) => Number(r[2])));
    expect(rho).toBeGreaterThan(0.64);
  });

  it('fails to load a missing model with MODEL_LOAD_FAILED', async () => {
    await expect(StaticEmbedder.create({ modelId: 'no-such-static-model' })).rejects.toSatisfy(
      (err: unknown) => isEngineError(err) && err.code === 'MODEL_LOAD_FAILED',
    );
  });
});
