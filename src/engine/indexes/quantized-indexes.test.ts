import { describe, expect, it } from 'vitest';
import { kmeans } from '../vectors/kmeans';
import { createIndex } from './factory';
import { IvfPqIndex } from './ivf-pq-index';
import { deserializeIndex } from './serialization';
import { conformance, exactIndex, makeTestSet, recallVsFlat, useLoader } from './test-helpers';

useLoader(deserializeIndex);
const set = makeTestSet(4000, 32, 60, 5);

describe('IVF-Flat', () => {
  conformance(
    set,
    {
      description: 'IVF32,Flat',
      build: (metric) => createIndex('IVF32,Flat', set.dim, metric, { seed: 1 }),
      params: { nprobe: 8 },
      minRecall: 0.95,
      minRecallAfterChurn: 0.93,
      dotSlack: 0.05,
    },
    it,
  );

  it('probing every list is exact', () => {
    const index = createIndex('IVF16,Flat', set.dim, 'l2', { seed: 0 });
    index.train!(set.base);
    index.add(set.ids, set.base);
    expect(recallVsFlat(index, exactIndex(set, 'l2'), set, 10, { nprobe: 16 })).toBe(1);
  });
});

describe('SQ8', () => {
  conformance(
    set,
    {
      description: 'SQ8',
      build: (metric) => createIndex('SQ8', set.dim, metric),
      params: {},
      minRecall: 0.95,
      minRecallAfterChurn: 0.95,
    },
    it,
  );
});

describe('PQ', () => {
  conformance(
    set,
    {
      description: 'PQ16x6',
      build: (metric) => createIndex('PQ16x6', set.dim, metric, { seed: 2 }),
      params: {},
      minRecall: 0.55,
      minRecallAfterChurn: 0.55,
    },
    it,
  );
});

describe('IVF-PQ', () => {
  conformance(
    set,
    {
      description: 'IVF32,PQ16x6,Refine(SQ8)',
      build: (metric) => createIndex('IVF32,PQ16x6,Refine(SQ8)', set.dim, metric, { seed: 3 }),
      params: { nprobe: 8, kFactor: 8 },
      minRecall: 0.93,
      minRecallAfterChurn: 0.9,
      dotSlack: 0.05,
    },
    it,
  );

  it('re-ranking raises recall over plain ADC', () => {
    const plain = createIndex('IVF32,PQ8x6', set.dim, 'l2', { seed: 4 });
    const refined = createIndex('IVF32,PQ8x6,RFlat', set.dim, 'l2', { seed: 4 });
    for (const index of [plain, refined]) {
      index.train!(set.base);
      index.add(set.ids, set.base);
    }
    const flat = exactIndex(set, 'l2');
    const a = recallVsFlat(plain, flat, set, 10, { nprobe: 8 });
    const b = recallVsFlat(refined, flat, set, 10, { nprobe: 8, kFactor: 10 });
    expect(b).toBeGreaterThan(a + 0.1);
    // Spare capacity from growing lists, then none once packed (per-list overhead stays).
    const before = (refined as IvfPqIndex).bytesPerVector;
    (refined as IvfPqIndex).compact();
    const after = (refined as IvfPqIndex).bytesPerVector;
    expect(before).toBeGreaterThan(after);
    expect(after).toBeGreaterThanOrEqual(8 + 4 * set.dim + 4);
    expect(after).toBeLessThan(8 + 4 * set.dim + 4 + 4);
    expect(recallVsFlat(refined, flat, set, 10, { nprobe: 8, kFactor: 10 })).toBe(b);
  });

  it('rejects a PQ m that does not divide dim, and unknown descriptions', () => {
    expect(() => createIndex('IVF8,PQ5', set.dim, 'l2')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => createIndex('IVF8,PQ8,Refine(XX)', set.dim, 'l2')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('kmeans', () => {
  it('throws with fewer points than clusters and warns below 39 per centroid', () => {
    expect(() => kmeans(new Float32Array(10 * 4), 4, 11)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(kmeans(set.base.subarray(0, 100 * set.dim), set.dim, 10).warning).toMatch(/k-means/);
    expect(kmeans(set.base, set.dim, 10).warning).toBeUndefined();
  });

  it('is repeatable for a seed', () => {
    const a = kmeans(set.base, set.dim, 8, { seed: 0 }).centroids;
    const b = kmeans(set.base, set.dim, 8, { seed: 0 }).centroids;
    expect(a).toEqual(b);
  });
});
