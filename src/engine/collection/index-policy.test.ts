import { describe, expect, it } from 'vitest';
import { createIndex } from '../indexes/factory';
import { DEFAULT_INDEX_SETTINGS, chooseIndexDescription } from './index-policy';

const auto = DEFAULT_INDEX_SETTINGS;

describe('index policy', () => {
  it('"auto" is Flat for small collections, HNSW beyond, IVF-PQ over the memory budget', () => {
    expect(chooseIndexDescription(auto, 500, 384)).toBe('Flat');
    expect(chooseIndexDescription(auto, 20_000, 384)).toBe('Flat');
    expect(chooseIndexDescription(auto, 100_000, 384)).toBe('HNSW32');
    expect(chooseIndexDescription({ ...auto, memoryBudgetMB: 64 }, 100_000, 384)).toBe('IVF1024,PQ48,Refine(SQ8)');
  });

  it('falls back to Flat when a trained kind has too few vectors to train on', () => {
    expect(chooseIndexDescription({ ...auto, kind: 'IVF-PQ' }, 100, 64)).toBe('Flat');
    expect(chooseIndexDescription({ ...auto, kind: 'IVF-PQ' }, 10_000, 64)).toBe('IVF256,PQ8,Refine(SQ8)');
  });

  it('every description it makes is one the factory builds', () => {
    for (const kind of ['auto', 'Flat', 'HNSW', 'HNSW-SQ8', 'SQ8', 'IVF-PQ'] as const) {
      for (const count of [10, 30_000, 2_000_000]) {
        for (const dim of [32, 300, 384]) {
          const description = chooseIndexDescription({ ...auto, kind, memoryBudgetMB: 100 }, count, dim);
          expect(() => createIndex(description, dim, 'cosine'), description).not.toThrow();
        }
      }
    }
  });
});
