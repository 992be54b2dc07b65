/** Shared helpers for the index tests (not exported from the package). */
import { expect } from 'vitest';
import { EngineError } from '../errors';
import { gaussianMixture } from '../vectors/gaussian-mixture';
import { createRandom } from '../vectors/random';
import { FlatIndex } from './flat-index';
import { recallAtK } from './recall';
import type { Metric, SearchParams, SearchResult, VectorIndex } from './vector-index';

export interface TestSet {
  dim: number;
  base: Float32Array;
  ids: Uint32Array;
  queries: Float32Array;
  nq: number;
}

export function makeTestSet(n: number, dim: number, nq: number, seed = 1): TestSet {
  const all = gaussianMixture({ n: n + nq, dim, clusters: 40, seed, spread: 1.2 });
  const ids = Uint32Array.from({ length: n }, (_, i) => i * 2 + 1);
  return { dim, base: all.vectors.subarray(0, n * dim), ids, queries: all.vectors.subarray(n * dim), nq };
}

export function searchAll(index: VectorIndex, set: TestSet, k: number, params?: SearchParams): SearchResult[] {
  const out: SearchResult[] = [];
  for (let q = 0; q < set.nq; q++) out.push(index.search(set.queries.subarray(q * set.dim, (q + 1) * set.dim), k, params));
  return out;
}

export function exactIndex(set: TestSet, metric: Metric): FlatIndex {
  const flat = new FlatIndex(set.dim, metric);
  flat.add(set.ids, set.base);
  return flat;
}

export function recallVsFlat(index: VectorIndex, flat: FlatIndex, set: TestSet, k: number, params?: SearchParams): number {
  const filter = params?.filter;
  return recallAtK(searchAll(flat, set, k, { filter }), searchAll(index, set, k, params), k);
}

export function expectCorrupt(load: () => unknown): void {
  let caught: unknown;
  try {
    load();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(EngineError);
  expect((caught as EngineError).code).toBe('CORRUPT_INDEX');
}

/** Truncations and random bit flips must all be rejected. */
export function expectDamageDetected(bytes: Uint8Array, load: (b: Uint8Array) => unknown): void {
  for (const cut of [0, 12, 30, bytes.length >> 1, bytes.length - 1]) expectCorrupt(() => load(bytes.subarray(0, cut)));
  const r = createRandom(11);
  for (let t = 0; t < 10; t++) {
    const damaged = bytes.slice();
    damaged[r.nextInt(damaged.length)] ^= 1 << r.nextInt(8);
    expectCorrupt(() => load(damaged));
  }
}

export interface ConformanceCase {
  description: string;
  build: (metric: Metric) => VectorIndex;
  /** Search params used for the recall checks. */
  params: SearchParams;
  minRecall: number;
  /** Recall with deletes and filters may be a little lower. */
  minRecallAfterChurn: number;
  /** Maximum inner product is harder for k-means cells (as in faiss): allow this much less. */
  dotSlack?: number;
}

/** The checks every approximate index must pass against Flat. */
export function conformance(set: TestSet, c: ConformanceCase, it: (name: string, fn: () => void) => void): void {
  for (const metric of ['l2', 'cosine', 'dot'] as const) {
    it(`${c.description} (${metric}): recall@10 >= ${c.minRecall}, filters, deletes, round trip`, () => {
      const slack = metric === 'dot' ? (c.dotSlack ?? 0) : 0;
      const index = c.build(metric);
      expect(() => index.add(set.ids, set.base)).toThrow(expect.objectContaining({ code: 'NOT_TRAINED' }));
      index.train!(set.base);
      index.add(set.ids, set.base);
      expect(index.size).toBe(set.ids.length);
      const flat = exactIndex(set, metric);
      expect(recallVsFlat(index, flat, set, 10, c.params)).toBeGreaterThanOrEqual(c.minRecall - slack);

      const filter = (id: number) => id % 4 === 1;
      expect(recallVsFlat(index, flat, set, 10, { ...c.params, filter })).toBeGreaterThanOrEqual(c.minRecallAfterChurn - slack);
      for (const r of searchAll(index, set, 10, { ...c.params, filter })) expect(Array.from(r.ids).every(filter)).toBe(true);

      const gone = set.ids.filter((_, i) => i % 3 === 0);
      expect(index.remove(gone)).toBe(gone.length);
      expect(index.size).toBe(set.ids.length - gone.length);
      flat.remove(gone);
      const removed = new Set(gone);
      const after = searchAll(index, set, 10, c.params);
      for (const r of after) for (const id of r.ids) expect(removed.has(id)).toBe(false);
      expect(recallVsFlat(index, flat, set, 10, c.params)).toBeGreaterThanOrEqual(c.minRecallAfterChurn - slack);

      const bytes = index.serialize();
      const loaded = load(bytes);
      expect(loaded.kind).toBe(index.kind);
      expect(loaded.size).toBe(index.size);
      expect(searchAll(loaded, set, 10, c.params)).toEqual(after);
      expectDamageDetected(bytes, load);
    });
  }
}

let load: (bytes: Uint8Array) => VectorIndex = () => {
  throw new Error('call useLoader first');
};

/** Injected to keep this helper free of a serialization import cycle in tests. */
export function useLoader(fn: (bytes: Uint8Array) => VectorIndex): void {
  load = fn;
}
