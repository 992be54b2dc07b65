import { describe, expect, it } from 'vitest';
import { createIndex } from '../indexes/factory';
import { DEFAULT_INDEX_SETTINGS, chooseIndexDescription, servesDescription } from './index-policy';

const auto = DEFAULT_INDEX_SETTINGS;

describe('index policy', () => {
  it('"auto" is Flat for small collections, HNSW beyond, IVF-PQ over the memory budget', () => {
    expect(chooseIndexDescription(auto, 500, 384)).toBe('Flat');
    expect(chooseIndexDescription(auto, 20_000, 384)).toBe('Flat');
    expect(chooseIndexDescription(auto, 100_000, 384)).toBe('HNSW32');
    expect(chooseIndexDescription({ ...auto, memoryBudgetMB: 64 }, 100_000, 384)).toBe('IVF1024,PQ48');
  });

  it('falls back to Flat when a trained kind has too few vectors to train on', () => {
    expect(chooseIndexDescription({ ...auto, kind: 'IVF-PQ' }, 100, 64)).toBe('Flat');
    expect(chooseIndexDescription({ ...auto, kind: 'IVF-PQ' }, 10_000, 64)).toBe('IVF256,PQ8');
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

  it('IVF-PQ holds codes only; indexes saved with SQ8 refinement codes still serve', () => {
    expect(servesDescription('IVF1024,PQ48', 'IVF1024,PQ48')).toBe(true);
    expect(servesDescription('IVF1024,PQ48,Refine(SQ8)', 'IVF1024,PQ48')).toBe(true);
    expect(servesDescription('IVF512,PQ48,Refine(SQ8)', 'IVF1024,PQ48')).toBe(false);
    expect(servesDescription('IVF1024,PQ48', 'IVF1024,PQ48,Refine(SQ8)')).toBe(false);
    expect(servesDescription('HNSW32', 'IVF1024,PQ48')).toBe(false);
  });
});
