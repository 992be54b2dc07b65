import { describe, expect, it } from 'vitest';
import type { EmbedPurpose, Embedder, EmbedderInfo } from '../embedding/embedder';
import { isEngineError } from '../errors';
import { createRandom } from '../vectors/random';
import {
  deserializeAdapted,
  serializeAdapted,
  similarWords,
  trainCorpusVectors,
  type AdaptationOptions,
  type AdaptedVectors,
} from './corpus-trainer';

const PETS = ['cat', 'dog', 'pet', 'fur', 'paw', 'kitten', 'puppy', 'leash'];
const MONEY = ['stock', 'bond', 'market', 'price', 'trade', 'share', 'dividend', 'broker'];
const FILLER = ['the', 'a', 'is', 'and', 'of'];

/** Sentences that each draw from one topic group, plus topic-free filler words. */
function topicCorpus(sentences: number, seed = 7): string[] {
  const random = createRandom(seed);
  const texts: string[] = [];
  for (let s = 0; s < sentences; s++) {
    const group = s % 2 === 0 ? PETS : MONEY;
    const words: string[] = [];
    for (let i = 0; i < 10; i++) {
      const pool = random.next() < 0.3 ? FILLER : group;
      words.push(pool[random.nextInt(pool.length)]);
    }
    // Mixed case and accents: tokens must be folded as staticTokens does.
    texts.push(words.join(' ').replace('cat', 'Cât'));
  }
  return texts;
}

const SMALL: AdaptationOptions = { dim: 16, epochs: 5, subsample: 0, minCount: 2, seed: 3, minTokens: 0 };

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isEngineError(error) ? error.code : error).toBe(code);
}

describe('trainCorpusVectors', () => {
  it('puts words of the same topic closer than words of the other topic', async () => {
    const adapted = await trainCorpusVectors(topicCorpus(400), SMALL);
    expect(adapted.dim).toBe(16);
    expect(adapted.words).toContain('cat');
    expect(adapted.words).not.toContain('Cât');
    expect(adapted.vectors.length).toBe(adapted.words.length * 16);
    for (let w = 0; w < adapted.words.length; w++) {
      let norm = 0;
      for (let d = 0; d < 16; d++) norm += adapted.vectors[w * 16 + d] ** 2;
      expect(norm).toBeCloseTo(1, 4);
    }
    for (const [word, same, other] of [
      ['cat', PETS, MONEY],
      ['stock', MONEY, PETS],
    ] as const) {
      const found = similarWords(adapted, word, adapted.words.length);
      expect(found.map((f) => f.word)).not.toContain(word);
      const rank = new Map(found.map((f, i) => [f.word, i]));
      const worstSame = Math.max(...same.filter((w) => w !== word).map((w) => rank.get(w)!));
      const bestOther = Math.min(...other.map((w) => rank.get(w)!));
      expect(worstSame).toBeLessThan(bestOther);
    }
  });

  it('similarWords folds case, respects k and returns [] for unknown words', async () => {
    const adapted = await trainCorpusVectors(topicCorpus(200), SMALL);
    const upper = similarWords(adapted, '  DOG ', 3);
    expect(upper).toHaveLength(3);
    expect(upper).toEqual(similarWords(adapted, 'dog', 3));
    expect(upper[0].score).toBeGreaterThanOrEqual(upper[1].score);
    expect(similarWords(adapted, 'zebra')).toEqual([]);
    expect(similarWords(adapted, '')).toEqual([]);
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const texts = topicCorpus(100);
    const a = await trainCorpusVectors(texts, SMALL);
    const b = await trainCorpusVectors(texts, SMALL);
    const c = await trainCorpusVectors(texts, { ...SMALL, seed: 0 });
    expect(b.words).toEqual(a.words);
    expect(Array.from(b.vectors)).toEqual(Array.from(a.vectors));
    expect(Array.from(c.vectors)).not.toEqual(Array.from(a.vectors));
  });

  it('applies minCount and maxVocab by frequency', async () => {
    const texts = ['alpha alpha alpha beta beta beta gamma gamma delta', 'alpha beta gamma'];
    const adapted = await trainCorpusVectors(texts, { dim: 8, minCount: 3, minTokens: 0 });
    expect(adapted.words).toEqual(['alpha', 'beta', 'gamma']);
    expect(adapted.tokens).toBe(12);
    const capped = await trainCorpusVectors(texts, { dim: 8, minCount: 3, maxVocab: 2, minTokens: 0 });
    expect(capped.words).toEqual(['alpha', 'beta']);
  });

  it('reports progress, yields, and throws CANCELLED when aborted', async () => {
    const texts = topicCorpus(4000);
    const progress: [number, number][] = [];
    let yields = 0;
    await trainCorpusVectors(texts, { ...SMALL, epochs: 2 }, {
      onProgress: (done, total) => progress.push([done, total]),
      yieldControl: async () => {
        yields++;
      },
    });
    expect(yields).toBeGreaterThan(0);
    const total = progress[0][1];
    expect(progress[0][0]).toBe(0);
    expect(progress.at(-1)).toEqual([total, total]);
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThanOrEqual(progress[i - 1][0]);

    const signal = { aborted: false };
    let reported = 0;
    await expectCode(
      trainCorpusVectors(texts, SMALL, {
        signal,
        onProgress: () => {
          if (++reported === 2) signal.aborted = true;
        },
        yieldControl: async () => {},
      }),
      'CANCELLED',
    );
    await expectCode(trainCorpusVectors(texts, SMALL, { signal: { aborted: true } }), 'CANCELLED');
  });

  it('runs more epochs on a small corpus unless epochs is given', async () => {
    const texts = topicCorpus(50);
    const totals: number[] = [];
    const onProgress = (_: number, total: number): number => totals.push(total);
    const auto = await trainCorpusVectors(texts, { ...SMALL, epochs: undefined }, { onProgress });
    await trainCorpusVectors(texts, { ...SMALL, epochs: 2 }, { onProgress });
    // Every token of this corpus is in the vocabulary, so total = tokens × epochs.
    expect(totals[0]).toBe(auto.tokens * 15);
    expect(totals.at(-1)).toBe(auto.tokens * 2);
  });

  it('returns an empty table below minTokens', async () => {
    const texts = topicCorpus(100); // 1000 tokens
    expect((await trainCorpusVectors(texts, { ...SMALL, minTokens: 1001 })).words).toEqual([]);
    expect((await trainCorpusVectors(texts, { ...SMALL, minTokens: 1000 })).words.length).toBeGreaterThan(0);
    const defaults = await trainCorpusVectors(texts);
    expect(defaults.words).toEqual([]);
    expect(defaults.tokens).toBe(1000);
  });

  it('returns an empty table for an empty or tiny corpus', async () => {
    for (const texts of [[], [''], ['one two three'], ['same same same same']]) {
      const adapted = await trainCorpusVectors(texts);
      expect(adapted.words).toEqual([]);
      expect(adapted.vectors.length).toBe(0);
      expect(similarWords(adapted, 'same')).toEqual([]);
    }
  });

  it('rejects invalid options', async () => {
    await expectCode(trainCorpusVectors(['a b'], { dim: 0 }), 'INVALID_ARGUMENT');
    await expectCode(trainCorpusVectors(['a b'], { window: 1.5 }), 'INVALID_ARGUMENT');
  });
});

/** A base model whose words point along their topic's axis (pets: 0, money: 1), with a little per-word spread. */
class TopicEmbedder implements Embedder {
  readonly info: EmbedderInfo = {
    modelId: 'topic',
    dtype: 'fp32',
    pooling: 'mean',
    normalize: true,
    dim: 6,
    queryPrefix: '',
    passagePrefix: '',
    device: 'js',
  };
  calls = 0;
  async embed(texts: readonly string[], _purpose: EmbedPurpose): Promise<Float32Array> {
    this.calls++;
    const out = new Float32Array(texts.length * 6);
    texts.forEach((text, t) => {
      const word = text.toLowerCase().replace('â', 'a');
      const axis = PETS.includes(word) ? 0 : MONEY.includes(word) ? 1 : 2;
      out[t * 6 + axis] = 1;
      out[t * 6 + 3 + (word.length % 3)] = 0.3;
    });
    return out;
  }
  async dispose(): Promise<void> {}
}

/** Words of both topics shuffled together: the text itself says nothing about topics. */
function mixedCorpus(sentences: number): string[] {
  const random = createRandom(9);
  const all = [...PETS, ...MONEY];
  return Array.from({ length: sentences }, () => Array.from({ length: 10 }, () => all[random.nextInt(all.length)]).join(' '));
}

describe('trainCorpusVectors from a base model', () => {
  it('starts from the base word vectors, so what the base knows survives training', async () => {
    const base = new TopicEmbedder();
    const adapted = await trainCorpusVectors(mixedCorpus(300), { base, epochs: 2, subsample: 0, minCount: 2, minTokens: 0 });
    expect(adapted.dim).toBe(6);
    expect(adapted.vectors.length).toBe(adapted.words.length * 6);
    expect(base.calls).toBeGreaterThan(0);
    for (const [word, same, other] of [
      ['cat', PETS, MONEY],
      ['stock', MONEY, PETS],
    ] as const) {
      const rank = new Map(similarWords(adapted, word, adapted.words.length).map((f, i) => [f.word, i]));
      const worstSame = Math.max(...same.filter((w) => w !== word).map((w) => rank.get(w)!));
      const bestOther = Math.min(...other.map((w) => rank.get(w)!));
      expect(worstSame).toBeLessThan(bestOther);
    }
  });

  it('still learns from the collection: co-occurring words move together', async () => {
    // The base puts every word on one axis; only the text separates the topics.
    const base = new TopicEmbedder();
    const flat: Embedder = {
      info: base.info,
      embed: async (texts) => Float32Array.from({ length: texts.length * 6 }, (_, i) => (i % 6 === 2 ? 1 : (i % 6) * 0.01)),
      dispose: async () => {},
    };
    const adapted = await trainCorpusVectors(topicCorpus(400), { base: flat, ...SMALL, dim: undefined });
    const found = similarWords(adapted, 'dog', 6).map((f) => f.word);
    expect(found.filter((w) => PETS.includes(w)).length).toBeGreaterThanOrEqual(4);
  });

  it('counts each word, and cancels while reading the base vectors', async () => {
    const texts = ['alpha alpha alpha beta beta beta gamma gamma gamma', 'alpha'];
    const adapted = await trainCorpusVectors(texts, { base: new TopicEmbedder(), minCount: 3, minTokens: 0 });
    expect(adapted.words).toEqual(['alpha', 'beta', 'gamma']);
    expect(Array.from(adapted.counts!)).toEqual([4, 3, 3]);
    const signal = { aborted: false };
    const cancelling: Embedder = {
      info: new TopicEmbedder().info,
      embed: async (batch) => {
        signal.aborted = true;
        return new Float32Array(batch.length * 6);
      },
      dispose: async () => {},
    };
    await expectCode(trainCorpusVectors(topicCorpus(200), { base: cancelling, minTokens: 0 }, { signal }), 'CANCELLED');
    const wrong: Embedder = { ...cancelling, embed: async () => new Float32Array(3) };
    await expectCode(trainCorpusVectors(topicCorpus(200), { base: wrong, minTokens: 0 }), 'DIMENSION_MISMATCH');
  });
});

describe('serializeAdapted / deserializeAdapted', () => {
  const table = async (): Promise<AdaptedVectors> => trainCorpusVectors(topicCorpus(60), SMALL);

  it('round-trips exactly', async () => {
    const adapted = await table();
    const back = deserializeAdapted(serializeAdapted(adapted));
    expect(back.words).toEqual(adapted.words);
    expect(back.dim).toBe(adapted.dim);
    expect(back.tokens).toBe(adapted.tokens);
    expect(Array.from(back.vectors)).toEqual(Array.from(adapted.vectors));
    expect(Array.from(back.counts!)).toEqual(Array.from(adapted.counts!));
    const empty = await trainCorpusVectors([]);
    expect(deserializeAdapted(serializeAdapted(empty)).words).toEqual([]);
  });

  it('still reads version 1 (no counts)', async () => {
    const adapted = await table();
    const v2 = serializeAdapted(adapted);
    // Version 1 is version 2 without the trailing counts, with its own checksum.
    const v1 = v2.slice(0, v2.length - adapted.words.length * 4);
    const view = new DataView(v1.buffer);
    view.setUint32(4, 1, true);
    let h = 0x811c9dc5;
    for (let i = 32; i < v1.length; i++) h = Math.imul(h ^ v1[i], 0x01000193);
    view.setUint32(28, h >>> 0, true);
    const back = deserializeAdapted(v1);
    expect(back.counts).toBeUndefined();
    expect(back.words).toEqual(adapted.words);
    expect(Array.from(back.vectors)).toEqual(Array.from(adapted.vectors));
    view.setUint32(4, 3, true);
    expect(() => deserializeAdapted(v1)).toThrow(/version|checksum/);
  });

  it('works on a view into a larger buffer', async () => {
    const bytes = serializeAdapted(await table());
    const host = new Uint8Array(bytes.length + 7);
    host.set(bytes, 3);
    expect(deserializeAdapted(host.subarray(3, 3 + bytes.length)).words.length).toBeGreaterThan(0);
  });

  it('rejects corrupt bytes with CORRUPT_INDEX', async () => {
    const bytes = serializeAdapted(await table());
    const cases: Uint8Array[] = [
      new Uint8Array(0),
      bytes.subarray(0, 20),
      bytes.subarray(0, bytes.length - 4),
      Uint8Array.from([...bytes, 0, 0, 0, 0]),
    ];
    for (const offset of [0, 4, 12, 40, bytes.length - 2]) {
      const flipped = bytes.slice();
      flipped[offset] ^= 0x5a;
      cases.push(flipped);
    }
    for (const c of cases) {
      let code: string | undefined;
      try {
        deserializeAdapted(c);
      } catch (e) {
        code = isEngineError(e) ? e.code : String(e);
      }
      expect(code).toBe('CORRUPT_INDEX');
    }
  });
});
