import { describe, expect, it } from 'vitest';
import { createRandom } from '../vectors/random';
import { rerankExact, searchWithExactRerank } from './exact-rerank';
import { createIndex } from './factory';
import type { IvfPqIndex } from './ivf-pq-index';
import { recallAtK } from './recall';
import { exactIndex, makeTestSet, searchAll, type TestSet } from './test-helpers';
import type { Metric, SearchParams, SearchResult, VectorIndex } from './vector-index';

const set = makeTestSet(4000, 32, 60, 7);

/** Stands in for the store: float rows looked up by id. */
function vectorsOf(s: TestSet): (ids: Uint32Array) => Float32Array {
  const row = new Map<number, number>();
  s.ids.forEach((id, i) => row.set(id, i));
  return (ids) => {
    const out = new Float32Array(ids.length * s.dim);
    ids.forEach((id, i) => out.set(s.base.subarray(row.get(id)! * s.dim, (row.get(id)! + 1) * s.dim), i * s.dim));
    return out;
  };
}

function reranked(index: VectorIndex, s: TestSet, k: number, params: SearchParams): SearchResult[] {
  const read = vectorsOf(s);
  const out: SearchResult[] = [];
  for (let q = 0; q < s.nq; q++) {
    out.push(searchWithExactRerank(index, s.queries.subarray(q * s.dim, (q + 1) * s.dim), k, params, read));
  }
  return out;
}

const built = new Map<string, IvfPqIndex>();

/** Training dominates the run time, so tests that only read share one index. */
function codesOnly(description: string, metric: Metric, fresh = false): IvfPqIndex {
  const key = `${description} ${metric}`;
  const cached = built.get(key);
  if (cached && !fresh) return cached;
  const index = createIndex(description, set.dim, metric, { seed: 3 }) as IvfPqIndex;
  index.train(set.base);
  index.add(set.ids, set.base);
  index.compact();
  if (!fresh) built.set(key, index);
  return index;
}

describe('rerankExact', () => {
  it('orders candidates like a naive reference, for every metric', () => {
    const r = createRandom(5);
    const dim = 12;
    const ids = Uint32Array.from({ length: 50 }, (_, i) => 1000 - i * 3);
    const vectors = Float32Array.from({ length: 50 * dim }, () => r.nextGaussian() * 3);
    const query = Float32Array.from({ length: dim }, () => r.nextGaussian());
    const refs: Record<Metric, (i: number) => number> = {
      l2: (i) => query.reduce((s, q, j) => s + (q - vectors[i * dim + j]) ** 2, 0),
      dot: (i) => -query.reduce((s, q, j) => s + q * vectors[i * dim + j], 0),
      cosine: (i) => {
        const row = vectors.subarray(i * dim, (i + 1) * dim);
        const d = query.reduce((s, q, j) => s + q * row[j], 0);
        return 1 - d / Math.hypot(...query) / Math.hypot(...row);
      },
    };
    for (const metric of ['l2', 'dot', 'cosine'] as const) {
      const expected = Array.from({ length: 50 }, (_, i) => i).sort((a, b) => refs[metric](a) - refs[metric](b));
      const got = rerankExact(query, ids, vectors, metric, 7);
      expect(Array.from(got.ids)).toEqual(expected.slice(0, 7).map((i) => ids[i]));
      got.distances.forEach((d, j) => expect(d).toBeCloseTo(refs[metric](expected[j]), 4));
    }
    expect(rerankExact(query, ids.subarray(0, 3), vectors.subarray(0, 3 * dim), 'l2', 10).ids.length).toBe(3);
    expect(rerankExact(query, ids, vectors, 'l2', 0).ids.length).toBe(0);
    expect(() => rerankExact(query, ids, vectors.subarray(dim), 'l2', 5)).toThrow(
      expect.objectContaining({ code: 'DIMENSION_MISMATCH' }),
    );
  });
});

describe('IVF-PQ codes only + exact re-rank from outside the index', () => {
  for (const metric of ['l2', 'cosine', 'dot'] as const) {
    it(`${metric}: recall@10 >= 0.95 at nprobe 8, kFactor 10, far above plain ADC`, () => {
      const index = codesOnly('IVF32,PQ8x6', metric);
      const flat = exactIndex(set, metric);
      const truth = searchAll(flat, set, 10);
      const plain = recallAtK(truth, searchAll(index, set, 10, { nprobe: 8 }), 10);
      const exact = recallAtK(truth, reranked(index, set, 10, { nprobe: 8, kFactor: 10 }), 10);
      expect(exact).toBeGreaterThanOrEqual(metric === 'dot' ? 0.9 : 0.95);
      expect(exact).toBeGreaterThan(plain + 0.15);
    });
  }

  it('is identical to Flat when every list is probed and kFactor covers everything', () => {
    const index = codesOnly('IVF16,PQ4x6', 'cosine');
    const flat = exactIndex(set, 'cosine');
    const expected = searchAll(flat, set, 10);
    const got = reranked(index, set, 10, { nprobe: 16, kFactor: set.ids.length / 10 });
    got.forEach((r, q) => {
      expect(Array.from(r.ids)).toEqual(Array.from(expected[q].ids));
      r.distances.forEach((d, j) => expect(d).toBeCloseTo(expected[q].distances[j], 5));
    });
  });

  it('keeps codes and ids within m + 8 bytes per vector, after compaction', () => {
    const index = codesOnly('IVF32,PQ8x6', 'l2');
    expect(index.bytesPerVector).toBeGreaterThanOrEqual(8 + 4);
    expect(index.bytesPerVector).toBeLessThanOrEqual(8 + 8);
    expect(index.fixedBytes).toBe(32 * set.dim * 4 + 64 * set.dim * 4 + 2 * set.dim * 4);
  });

  it('re-adding an id replaces its entry; repeats in one batch keep the last', () => {
    const index = codesOnly('IVF32,PQ8x6', 'l2', true);
    const id = set.ids[5];
    const far = new Float32Array(set.dim).fill(50);
    const near = set.queries.slice(0, set.dim);
    index.add(Uint32Array.of(id, id), new Float32Array([...far, ...near]));
    expect(index.size).toBe(set.ids.length);
    expect(index.search(near, 1, { nprobe: 32 }).ids[0]).toBe(id);
    expect(index.remove(Uint32Array.of(id, id, 999_999))).toBe(1);
    expect(index.size).toBe(set.ids.length - 1);
  });
});
