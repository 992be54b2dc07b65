import { describe, expect, it } from 'vitest';
import { Bm25Index } from './bm25-index';

function tiny(): Bm25Index {
  const index = new Bm25Index({ k1: 1.2, b: 0.75 });
  index.add(1, 'cat sat mat');
  index.add(2, 'cat cat dog');
  index.add(3, 'dog bird');
  return index;
}

describe('Bm25Index', () => {
  it('scores a tiny corpus as computed by hand', () => {
    // N = 3, avgdl = 8/3. "cat": df 2, idf = ln(1 + 1.5/2.5) = ln 1.6.
    const { ids, scores } = tiny().search('cat', 10);
    expect(Array.from(ids)).toEqual([2, 1]);
    expect(scores[0]).toBeCloseTo(0.6243067075264112, 5); // tf 2, dl 3
    expect(scores[1]).toBeCloseTo(0.44713858782297017, 5); // tf 1, dl 3
  });

  it('sums over query terms and counts repeated query terms', () => {
    const index = tiny();
    const bird = index.search('bird', 10);
    expect(Array.from(bird.ids)).toEqual([3]);
    expect(bird.scores[0]).toBeCloseTo(1.0925692944940748, 5); // df 1, tf 1, dl 2
    const twice = index.search('bird birds', 10);
    expect(twice.scores[0]).toBeCloseTo(2 * 1.0925692944940748, 5);
    const both = index.search('cat bird', 10);
    expect(Array.from(both.ids)).toEqual([3, 2, 1]);
  });

  it('respects k and the filter', () => {
    const index = tiny();
    expect(Array.from(index.search('cat dog', 1).ids)).toEqual([2]);
    expect(Array.from(index.search('cat dog', 10, (id) => id !== 2).ids)).toEqual([3, 1]);
    expect(index.search('cat', 0).ids.length).toBe(0);
    expect(index.search('unknownword', 5).ids.length).toBe(0);
    expect(index.search('the', 5).ids.length).toBe(0);
  });

  it('removes documents and updates the statistics', () => {
    const index = tiny();
    expect(index.remove(3)).toBe(true);
    expect(index.remove(3)).toBe(false);
    expect(index.has(3)).toBe(false);
    expect(index.size).toBe(2);
    expect(index.search('bird', 10).ids.length).toBe(0);
    const fresh = new Bm25Index({ k1: 1.2, b: 0.75 });
    fresh.add(1, 'cat sat mat');
    fresh.add(2, 'cat cat dog');
    const a = index.search('cat dog', 10);
    const b = fresh.search('cat dog', 10);
    expect(Array.from(a.ids)).toEqual(Array.from(b.ids));
    expect(Array.from(a.scores)).toEqual(Array.from(b.scores));
  });

  it('replaces a document added twice', () => {
    const index = tiny();
    index.add(1, 'bird bird');
    expect(index.size).toBe(3);
    expect(index.search('sat', 10).ids.length).toBe(0);
    expect(Array.from(index.search('bird', 10).ids)).toEqual([1, 3]);
  });

  it('stays consistent through many adds and removes (compaction)', () => {
    const index = new Bm25Index();
    const fresh = new Bm25Index();
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
    const text = (i: number) => `${words[i % 6]} ${words[(i * 7) % 6]} ${words[(i * 5 + 1) % 6]} doc${i}`;
    for (let i = 0; i < 500; i++) index.add(i, text(i));
    for (let i = 0; i < 500; i++) if (i % 5 !== 0) index.remove(i);
    for (let i = 0; i < 500; i += 5) fresh.add(i, text(i));
    expect(index.size).toBe(100);
    const a = index.search('alpha gamma doc35', 20);
    const b = fresh.search('alpha gamma doc35', 20);
    expect(Array.from(a.ids)).toEqual(Array.from(b.ids));
    expect(Array.from(a.scores)).toEqual(Array.from(b.scores));
    expect(Bm25Index.deserialize(index.serialize()).vocabularySize).toBe(fresh.vocabularySize);
  });

  it('picks the same top k with the heap as with a full sort, ties to the earlier document', () => {
    const index = new Bm25Index();
    for (let i = 0; i < 1000; i++) index.add(i, `common ${'filler '.repeat(i % 7)}${i % 3 === 0 ? 'common' : ''}`);
    const all = index.search('common', 1000);
    expect(all.ids.length).toBe(1000);
    const top = index.search('common', 5);
    expect(Array.from(top.ids)).toEqual(Array.from(all.ids.subarray(0, 5)));
    expect(Array.from(top.scores)).toEqual(Array.from(all.scores.subarray(0, 5)));
    for (let i = 1; i < all.ids.length; i++) {
      const tie = all.scores[i] === all.scores[i - 1];
      expect(all.scores[i] <= all.scores[i - 1] && (!tie || all.ids[i] > all.ids[i - 1])).toBe(true);
    }
    const odd = index.search('common', 5, (id) => id % 2 === 1);
    expect(Array.from(odd.ids)).toEqual(Array.from(all.ids).filter((id) => id % 2 === 1).slice(0, 5));
  });

  it('round-trips through serialize', () => {
    const index = tiny();
    index.remove(1);
    index.add(4, 'Über naïve cats, 東京');
    const copy = Bm25Index.deserialize(index.serialize());
    expect(copy.size).toBe(3);
    expect(copy.k1).toBe(1.2);
    expect(copy.b).toBe(0.75);
    for (const q of ['cat', 'dog bird', 'uber naive', '東']) {
      const a = index.search(q, 10);
      const b = copy.search(q, 10);
      expect(Array.from(b.ids), q).toEqual(Array.from(a.ids));
      expect(Array.from(b.scores), q).toEqual(Array.from(a.scores));
    }
    copy.add(5, 'bird');
    copy.remove(2);
    expect(Array.from(copy.search('bird dog', 10).ids)).toEqual([3, 5]);
    expect(Array.from(copy.search('dog', 10).ids)).toEqual([3]);
  });

  it('round-trips from an unaligned view', () => {
    const bytes = tiny().serialize();
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(Bm25Index.deserialize(shifted.subarray(1)).size).toBe(3);
  });

  it('rejects corrupt input with CORRUPT_INDEX', () => {
    const bytes = tiny().serialize();
    const corrupt = expect.objectContaining({ code: 'CORRUPT_INDEX' });
    expect(() => Bm25Index.deserialize(new Uint8Array(3))).toThrow(corrupt);
    expect(() => Bm25Index.deserialize(bytes.subarray(0, bytes.length - 8))).toThrow(corrupt);
    const badMagic = bytes.slice();
    badMagic[0] = 0x58;
    expect(() => Bm25Index.deserialize(badMagic)).toThrow(corrupt);
    const badVersion = bytes.slice();
    badVersion[4] = 99;
    expect(() => Bm25Index.deserialize(badVersion)).toThrow(corrupt);
    for (let at = 40; at < bytes.length - 4; at += 3) {
      const flipped = bytes.slice();
      flipped[at] ^= 0x10;
      expect(() => Bm25Index.deserialize(flipped), `byte ${at}`).toThrow(corrupt);
    }
  });

  it('rejects bad parameters and ids', () => {
    expect(() => new Bm25Index({ b: 2 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new Bm25Index().add(-1, 'x')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
