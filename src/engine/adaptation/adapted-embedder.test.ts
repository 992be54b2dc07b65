import { describe, expect, it } from 'vitest';
import type { EmbedPurpose, Embedder, EmbedderInfo } from '../embedding/embedder';
import { vectorSpaceKey } from '../embedding/embedder';
import { DEFAULT_FUSION_WEIGHT, fusionWeightFor } from '../embedding/model-registry';
import { AdaptedEmbedder } from './adapted-embedder';
import { trainCorpusVectors, type AdaptedVectors } from './corpus-trainer';
import { createRandom } from '../vectors/random';

/** A base model that knows nothing: every text gets the same unit vector. */
class ConstantEmbedder implements Embedder {
  readonly info: EmbedderInfo = {
    modelId: 'fake',
    dtype: 'fp32',
    pooling: 'mean',
    normalize: true,
    dim: 4,
    queryPrefix: '',
    passagePrefix: '',
    device: 'js',
  };
  readonly passageTokenBudget = 128;
  disposed = false;
  countTokens(text: string): number {
    return text.length;
  }
  async embed(texts: readonly string[], _purpose: EmbedPurpose): Promise<Float32Array> {
    const out = new Float32Array(texts.length * 4);
    for (let t = 0; t < texts.length; t++) out[t * 4] = 1;
    return out;
  }
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

const PETS = ['cat', 'dog', 'pet', 'fur', 'paw', 'kitten'];
const MONEY = ['stock', 'bond', 'market', 'price', 'trade', 'share'];

function corpus(): string[] {
  const random = createRandom(11);
  return Array.from({ length: 300 }, (_, s) => {
    const group = s % 2 === 0 ? PETS : MONEY;
    return Array.from({ length: 8 }, () => group[random.nextInt(group.length)]).join(' ');
  });
}

const cosine = (v: Float32Array, a: number, b: number, dim: number): number => {
  let s = 0;
  for (let d = 0; d < dim; d++) s += v[a * dim + d] * v[b * dim + d];
  return s;
};

describe('AdaptedEmbedder', () => {
  let adapted: AdaptedVectors;
  const table = async (): Promise<AdaptedVectors> =>
    (adapted ??= await trainCorpusVectors(corpus(), { dim: 8, epochs: 5, subsample: 0, seed: 5, minTokens: 0 }));

  it('concatenates, normalises and describes its vector space', async () => {
    const base = new ConstantEmbedder();
    const embedder = new AdaptedEmbedder(base, await table(), { id: 'c1' });
    expect(embedder.info.dim).toBe(12);
    expect(embedder.info.modelId).toBe('fake+adapt:c1');
    expect(embedder.info.device).toBe('js');
    expect(vectorSpaceKey(embedder.info)).not.toBe(vectorSpaceKey(base.info));
    expect(embedder.countTokens?.('abc')).toBe(3);
    expect(embedder.passageTokenBudget).toBe(128);

    const vectors = await embedder.embed(['the cat and the dog', 'nothing known here', ''], 'passage');
    expect(vectors.length).toBe(36);
    for (let t = 0; t < 3; t++) expect(cosine(vectors, t, t, 12)).toBeCloseTo(1, 5);
    // With weight 0.5 the base part of a text with known words is √0.5.
    expect(vectors[0]).toBeCloseTo(Math.SQRT1_2, 5);
    // No known word: zero adapted part, base alone (renormalised).
    expect(vectors[12]).toBeCloseTo(1, 5);
    expect(Array.from(vectors.subarray(16, 24))).toEqual(new Array(8).fill(0));

    await embedder.dispose();
    expect(base.disposed).toBe(false);
  });

  it('moves a text towards texts of the same topic', async () => {
    const embedder = new AdaptedEmbedder(new ConstantEmbedder(), await table());
    const v = await embedder.embed(['my cat has soft fur', 'a pet dog with a paw', 'stock price and bond market'], 'query');
    expect(cosine(v, 0, 1, 12)).toBeGreaterThan(cosine(v, 0, 2, 12));
  });

  it('weight 0 keeps the base geometry; the default id follows the content', async () => {
    const t = await table();
    const flat = new AdaptedEmbedder(new ConstantEmbedder(), t, { weight: 0 });
    const v = await flat.embed(['cat fur', 'stock bond'], 'query');
    expect(cosine(v, 0, 1, 12)).toBeCloseTo(1, 5);
    const again = new AdaptedEmbedder(new ConstantEmbedder(), { ...t, vectors: t.vectors.slice() });
    expect(again.info.modelId).toBe(flat.info.modelId);
    const other = await trainCorpusVectors(corpus(), { dim: 8, epochs: 5, subsample: 0, seed: 6, minTokens: 0 });
    expect(new AdaptedEmbedder(new ConstantEmbedder(), other).info.modelId).not.toBe(flat.info.modelId);
    expect(() => new AdaptedEmbedder(new ConstantEmbedder(), t, { weight: 1.5 })).toThrow();
  });

  it('weights words by SIF from the collection counts, and pools evenly without counts', async () => {
    const dim = 2;
    // 'common' is 99% of the collection, 'rare' 1%: SIF nearly drops 'common'.
    const table: AdaptedVectors = { words: ['common', 'rare'], dim, vectors: Float32Array.of(1, 0, 0, 1), tokens: 1000, counts: Float32Array.of(990, 10) };
    const sif = new AdaptedEmbedder(new ConstantEmbedder(), table, { weight: 1 });
    const [, y] = await sif.embed(['common rare'], 'query').then((v) => v.subarray(4));
    expect(y).toBeGreaterThan(0.99);
    for (const plain of [{ ...table, counts: undefined }, table]) {
      const even = new AdaptedEmbedder(new ConstantEmbedder(), plain, { weight: 1, sifA: plain.counts ? 0 : undefined });
      const v = (await even.embed(['common rare'], 'query')).subarray(4);
      expect(v[0]).toBeCloseTo(Math.SQRT1_2, 5);
      expect(v[1]).toBeCloseTo(Math.SQRT1_2, 5);
    }
    expect(() => new AdaptedEmbedder(new ConstantEmbedder(), table, { sifA: -1 })).toThrow();
  });

  it('keeps the base model\'s fusion weight, not the unknown-model default', async () => {
    const base = new ConstantEmbedder();
    const staticBase: Embedder = { info: { ...base.info, modelId: 'sift-static-en-v1' }, embed: (x, p) => base.embed(x, p), dispose: async () => {} };
    const adaptedId = new AdaptedEmbedder(staticBase, await table(), { id: 'x1' }).info.modelId;
    expect(fusionWeightFor('sift-static-en-v1')).not.toBe(DEFAULT_FUSION_WEIGHT);
    expect(fusionWeightFor(adaptedId)).toBe(fusionWeightFor('sift-static-en-v1'));
    expect(fusionWeightFor('unknown-model+adapt:x1')).toBe(DEFAULT_FUSION_WEIGHT);
  });

  it('leaves out countTokens when the base has none, and handles an empty table', async () => {
    const base = new ConstantEmbedder();
    const bare: Embedder = { info: base.info, embed: (x, p) => base.embed(x, p), dispose: async () => {} };
    const empty = await trainCorpusVectors([]);
    const embedder = new AdaptedEmbedder(bare, empty, { id: 'e' });
    expect(embedder.countTokens).toBeUndefined();
    expect(embedder.passageTokenBudget).toBeUndefined();
    const v = await embedder.embed(['cat'], 'query');
    expect(v.length).toBe(4 + empty.dim);
    expect(v[0]).toBeCloseTo(1, 5);
  });
});
