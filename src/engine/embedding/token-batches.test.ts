import { describe, expect, it } from 'vitest';
import { lengthSortedBatches, padBatch, truncateKeepingLast } from './token-batches';

describe('token batches', () => {
  it('truncates keeping the closing special token', () => {
    const t = truncateKeepingLast({ ids: [101, 1, 2, 3, 4, 102], typeIds: [0, 0, 0, 1, 1, 1] }, 4);
    expect(t.ids).toEqual([101, 1, 2, 102]);
    expect(t.typeIds).toEqual([0, 0, 0, 1]);
    const short = { ids: [101, 102] };
    expect(truncateKeepingLast(short, 4)).toBe(short);
  });

  it('batches by length, longest first, covering every index once', () => {
    const lengths = Uint32Array.from([5, 50, 7, 48, 6, 49]);
    const batches = lengthSortedBatches(lengths, { maxBatchSize: 3, maxBatchTokens: 1e9 });
    expect(batches.map((b) => Array.from(b))).toEqual([
      [1, 5, 3],
      [2, 4, 0],
    ]);
  });

  it('limits padded tokens per batch', () => {
    const lengths = Uint32Array.from([100, 100, 100, 10, 10, 10]);
    const batches = lengthSortedBatches(lengths, { maxBatchSize: 32, maxBatchTokens: 200 });
    expect(batches.map((b) => b.length)).toEqual([2, 2, 2]);
    const seen = batches.flatMap((b) => Array.from(b)).sort();
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('right-pads with the pad id and a zero mask', () => {
    const texts = [{ ids: [2, 7, 3] }, { ids: [2, 3] }];
    const p = padBatch(texts, [1, 0], 0);
    expect([p.rows, p.columns]).toEqual([2, 3]);
    expect(Array.from(p.inputIds, Number)).toEqual([2, 3, 0, 2, 7, 3]);
    expect(Array.from(p.attentionMask, Number)).toEqual([1, 1, 0, 1, 1, 1]);
    expect(p.tokenTypeIds).toBeNull();
    const pairs = padBatch([{ ids: [2, 5, 3, 6, 3], typeIds: [0, 0, 0, 1, 1] }], [0], 0);
    expect(Array.from(pairs.tokenTypeIds ?? [], Number)).toEqual([0, 0, 0, 1, 1]);
  });
});
