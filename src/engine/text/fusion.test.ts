import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion, weightedScoreFusion, type RankedList } from './fusion';

const list = (ids: number[], scores: number[]): RankedList => ({
  ids: Uint32Array.from(ids),
  scores: Float32Array.from(scores),
});

describe('reciprocalRankFusion', () => {
  it('sums 1/(k + rank) over lists', () => {
    const fused = reciprocalRankFusion([list([1, 2, 3], [9, 8, 7]), list([3, 1], [0.9, 0.1])], { k: 60 });
    expect(Array.from(fused.ids)).toEqual([1, 3, 2]);
    expect(fused.scores[0]).toBeCloseTo(1 / 61 + 1 / 62, 6);
    expect(fused.scores[1]).toBeCloseTo(1 / 63 + 1 / 61, 6);
    expect(fused.scores[2]).toBeCloseTo(1 / 62, 6);
  });

  it('applies weights', () => {
    const fused = reciprocalRankFusion([list([1], [1]), list([2], [1])], { k: 0, weights: [1, 3] });
    expect(Array.from(fused.ids)).toEqual([2, 1]);
    expect(fused.scores[0]).toBeCloseTo(3, 6);
  });

  it('breaks ties by first appearance', () => {
    const fused = reciprocalRankFusion([list([5, 6], [1, 1]), list([6, 5], [1, 1])]);
    expect(Array.from(fused.ids)).toEqual([5, 6]);
  });

  it('rejects a weight count that does not match', () => {
    expect(() => reciprocalRankFusion([list([1], [1])], { weights: [1, 2] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('handles empty input', () => {
    expect(reciprocalRankFusion([]).ids.length).toBe(0);
  });
});

describe('weightedScoreFusion', () => {
  it('min-max normalises each list and weights it', () => {
    const a = list([1, 2, 3], [10, 6, 2]); // -> 1, 0.5, 0
    const b = list([3, 4], [0.9, 0.5]); // -> 1, 0
    const fused = weightedScoreFusion([a, b], { weights: [0.7, 0.3], normalization: 'minmax' });
    const byId = new Map(Array.from(fused.ids, (id, i) => [id, fused.scores[i]]));
    expect(byId.get(1)).toBeCloseTo(0.7, 6);
    expect(byId.get(2)).toBeCloseTo(0.35, 6);
    expect(byId.get(3)).toBeCloseTo(0.3, 6);
    expect(byId.get(4)).toBeCloseTo(0, 6);
    expect(Array.from(fused.ids)).toEqual([1, 2, 3, 4]);
  });

  it('z-score normalises, giving a missing document the list minimum', () => {
    const a = list([1, 2], [3, 1]); // mean 2, std 1 -> 1, -1
    const b = list([2, 3], [5, 5]); // std 0 -> 0, 0
    const fused = weightedScoreFusion([a, b], { weights: [1, 1], normalization: 'zscore' });
    const byId = new Map(Array.from(fused.ids, (id, i) => [id, fused.scores[i]]));
    expect(byId.get(1)).toBeCloseTo(1 + 0, 6);
    expect(byId.get(2)).toBeCloseTo(-1 + 0, 6);
    expect(byId.get(3)).toBeCloseTo(-1 + 0, 6);
  });

  it('maps a list of equal scores to 1 under min-max', () => {
    const fused = weightedScoreFusion([list([7, 8], [2, 2])], { weights: [1], normalization: 'minmax' });
    expect(Array.from(fused.scores)).toEqual([1, 1]);
  });

  it('rejects mismatched ids and scores', () => {
    const bad = { ids: Uint32Array.from([1, 2]), scores: Float32Array.from([1]) };
    expect(() => weightedScoreFusion([bad], { weights: [1], normalization: 'minmax' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
