import { describe, expect, it } from 'vitest';
import { averageRanks, spearman } from './spearman';

describe('averageRanks', () => {
  it('gives ties the mean of their ranks', () => {
    expect(Array.from(averageRanks([10, 20, 20, 5, 20]))).toEqual([2, 4, 4, 1, 4]);
  });
});

describe('spearman', () => {
  it('is 1 for any increasing relation and -1 for a decreasing one', () => {
    expect(spearman([1, 2, 3, 4], [1, 4, 9, 100])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('matches a hand computation with ties', () => {
    // x ranks: 1, 2.5, 2.5, 4; y ranks: 1, 3, 2, 4.
    // Pearson of the ranks: cov = (-1.5)(-1.5) + 0·0.5 + 0·(-0.5) + 1.5·1.5 = 4.5
    // var x = 2.25 + 0 + 0 + 2.25 = 4.5, var y = 2.25 + 0.25 + 0.25 + 2.25 = 5
    expect(spearman([1, 2, 2, 3], [10, 30, 20, 40])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 12);
  });

  it('is NaN for a constant side and rejects unequal lengths', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(() => spearman([1, 2], [1])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
