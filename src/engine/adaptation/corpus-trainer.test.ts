import { describe, expect, it } from 'vitest';
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

describe('serializeAdapted / deserializeAdapted', () => {
  const table = async (): Promise<AdaptedVectors> => trainCorpusVectors(topicCorpus(60), SMALL);

  it('round-trips exactly', async () => {
    const adapted = await table();
    const back = deserializeAdapted(serializeAdapted(adapted));
    expect(back.words).toEqual(adapted.words);
    expect(back.dim).toBe(adapted.dim);
    expect(back.tokens).toBe(adapted.tokens);
    expect(Array.from(back.vectors)).toEqual(Array.from(adapted.vectors));
    const empty = await trainCorpusVectors([]);
    expect(deserializeAdapted(serializeAdapted(empty)).words).toEqual([]);
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
