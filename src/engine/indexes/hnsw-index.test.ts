import { afterEach, describe, expect, it } from 'vitest';
import { HnswIndex } from './hnsw-index';
import { createIndex } from './factory';
import { deserializeIndex } from './serialization';
import { exactIndex, expectDamageDetected, makeTestSet, recallVsFlat, searchAll } from './test-helpers';
import { MaxHeap, MinHeap } from '../vectors/top-k-heap';
import { prepareVectors } from '../vectors/distances';
import { forceJsKernels } from '../vectors/kernels';
import type { VectorStore } from './vector-store';
import type { SearchResult } from './vector-index';

/** The graph internals the one-neighbour-at-a-time reference search reads. */
interface Graph {
  store: VectorStore;
  links0: Uint32Array;
  upperLinks: Uint32Array;
  upperOffset: Int32Array;
  labels: Uint32Array;
  deleted: Uint8Array;
  count: number;
  entry: number;
  maxLevel: number;
  m: number;
  maxM0: number;
}

/** HNSW search scoring each neighbour with its own distance call, as before batching. */
function referenceSearch(index: HnswIndex, query: Float32Array, k: number, ef: number, filter?: (id: number) => boolean): SearchResult {
  const g = index as unknown as Graph;
  g.store.setQuery(prepareVectors(index.metric, query, index.dim));
  let cur = g.entry;
  let curDist = g.store.distanceToQuery(cur);
  for (let level = g.maxLevel; level > 0; level--) {
    for (let changed = true; changed; ) {
      changed = false;
      const base = g.upperOffset[cur] + (level - 1) * (g.m + 1);
      for (let i = 1; i <= g.upperLinks[base]; i++) {
        const d = g.store.distanceToQuery(g.upperLinks[base + i]);
        if (d < curDist) [curDist, cur, changed] = [d, g.upperLinks[base + i], true];
      }
    }
  }
  const visited = new Uint8Array(g.count);
  const candidates = new MinHeap(64);
  const results = new MaxHeap(64);
  const allowed = (s: number) => !g.deleted[s] && (filter === undefined || filter(g.labels[s]));
  visited[cur] = 1;
  candidates.push(curDist, cur);
  let bound = Infinity;
  if (allowed(cur)) {
    results.push(curDist, cur);
    bound = curDist;
  }
  while (candidates.size > 0) {
    if (candidates.topDistance() > bound && results.size >= ef) break;
    const base = candidates.topId() * (g.maxM0 + 1);
    candidates.pop();
    for (let i = 1; i <= g.links0[base]; i++) {
      const nb = g.links0[base + i];
      if (visited[nb]) continue;
      visited[nb] = 1;
      const d = g.store.distanceToQuery(nb);
      if (results.size < ef || d < bound) {
        candidates.push(d, nb);
        if (allowed(nb)) {
          results.push(d, nb);
          if (results.size > ef) results.pop();
          bound = results.topDistance();
        }
      }
    }
  }
  while (results.size > k) results.pop();
  const out = results.toSortedResult();
  for (let i = 0; i < out.ids.length; i++) out.ids[i] = g.labels[out.ids[i]];
  return out;
}

const set = makeTestSet(5000, 64, 100, 3);

describe('HnswIndex', () => {
  const index = new HnswIndex(set.dim, 'l2', { m: 16, efConstruction: 100, seed: 42 });
  index.add(set.ids, set.base);
  const flat = exactIndex(set, 'l2');

  it('reaches recall@10 >= 0.95 against Flat, and more with larger ef', () => {
    expect(index.size).toBe(5000);
    const low = recallVsFlat(index, flat, set, 10, { efSearch: 16 });
    const high = recallVsFlat(index, flat, set, 10, { efSearch: 128 });
    expect(high).toBeGreaterThanOrEqual(0.97);
    expect(recallVsFlat(index, flat, set, 10, { efSearch: 64 })).toBeGreaterThanOrEqual(0.95);
    expect(high).toBeGreaterThanOrEqual(low);
  });

  it('filters results while traversing through filtered-out nodes', () => {
    const filter = (id: number) => id % 3 === 0;
    const recall = recallVsFlat(index, flat, set, 10, { efSearch: 64, filter });
    expect(recall).toBeGreaterThanOrEqual(0.9);
    for (const r of searchAll(index, set, 10, { filter })) {
      expect(r.ids.length).toBe(10);
      expect(Array.from(r.ids).every(filter)).toBe(true);
    }
  });

  it('builds the same graph from the same seed (seed 0 included)', () => {
    const a = new HnswIndex(set.dim, 'cosine', { m: 8, efConstruction: 40, seed: 0 });
    const b = new HnswIndex(set.dim, 'cosine', { m: 8, efConstruction: 40, seed: 0 });
    const c = new HnswIndex(set.dim, 'cosine', { m: 8, efConstruction: 40, seed: 1 });
    const ids = set.ids.subarray(0, 500);
    const vecs = set.base.subarray(0, 500 * set.dim);
    for (const x of [a, b, c]) x.add(ids, vecs);
    expect(a.serialize()).toEqual(b.serialize());
    expect(a.serialize()).not.toEqual(c.serialize());
  });

  it('keeps recall after deleting a fifth of the vectors, and never returns them', () => {
    const churn = new HnswIndex(set.dim, 'cosine', { m: 16, efConstruction: 100, seed: 7 });
    churn.add(set.ids, set.base);
    const gone = set.ids.filter((_, i) => i % 5 === 0);
    expect(churn.remove(gone)).toBe(gone.length);
    expect(churn.remove(gone)).toBe(0);
    expect(churn.size).toBe(4000);
    const exact = exactIndex(set, 'cosine');
    exact.remove(gone);
    const removed = new Set(gone);
    expect(recallVsFlat(churn, exact, set, 10, { efSearch: 64 })).toBeGreaterThanOrEqual(0.93);
    for (const r of searchAll(churn, set, 10)) for (const id of r.ids) expect(removed.has(id)).toBe(false);
    // Re-adding after deletes works, and a re-added id replaces the old vector.
    const back = new Float32Array(10 * set.dim);
    for (let j = 0; j < 10; j++) back.set(set.base.subarray(5 * j * set.dim, (5 * j + 1) * set.dim), j * set.dim);
    churn.add(gone.subarray(0, 10), back);
    expect(churn.size).toBe(4010);
    const row = (r: number) => set.base.subarray(r * set.dim, (r + 1) * set.dim);
    expect(churn.search(row(15), 1).ids[0]).toBe(gone[3]);
    churn.add(gone.subarray(3, 4), row(100));
    expect(churn.size).toBe(4010);
    expect(churn.search(row(100), 1).ids[0]).toBe(gone[3]);
    expect(churn.search(row(15), 1).ids[0]).not.toBe(gone[3]);
  });

  it('empties out fully and accepts new vectors afterwards', () => {
    const small = new HnswIndex(8, 'l2', { m: 4, seed: 1 });
    const v = set.base.subarray(0, 40 * 8);
    small.add(Uint32Array.from({ length: 40 }, (_, i) => i), v);
    expect(small.remove(Uint32Array.from({ length: 40 }, (_, i) => i))).toBe(40);
    expect(small.search(v.subarray(0, 8), 5).ids.length).toBe(0);
    small.add(Uint32Array.of(99), v.subarray(0, 8));
    expect(Array.from(small.search(v.subarray(0, 8), 5).ids)).toEqual([99]);
  });

  it('round-trips and rejects damaged bytes', () => {
    const bytes = index.serialize();
    const loaded = deserializeIndex(bytes);
    expect(loaded.kind).toBe('hnsw');
    expect(loaded.size).toBe(index.size);
    expect(searchAll(loaded, set, 10)).toEqual(searchAll(index, set, 10));
    expectDamageDetected(bytes, deserializeIndex);
  });
});

describe('HNSW batched neighbour scoring', () => {
  const small = makeTestSet(1500, 24, 40, 9);
  afterEach(() => forceJsKernels(false));
  for (const [metric, backend] of [['l2', 'wasm'], ['cosine', 'wasm'], ['l2', 'js'], ['cosine', 'js']] as const) {
    it(`${metric}, ${backend} kernels: returns exactly what per-neighbour scoring returns`, () => {
      forceJsKernels(backend === 'js');
      const index = new HnswIndex(small.dim, metric, { m: 6, efConstruction: 40, seed: 3 });
      index.add(small.ids, small.base);
      index.remove(small.ids.filter((_, i) => i % 7 === 0));
      const filter = (id: number) => id % 3 !== 0;
      for (const [ef, f] of [[10, undefined], [48, undefined], [32, filter]] as const) {
        for (let q = 0; q < small.nq; q++) {
          const query = small.queries.subarray(q * small.dim, (q + 1) * small.dim);
          const want = referenceSearch(index, query, 10, ef, f);
          expect(want.ids.length).toBe(10);
          expect(index.search(query, 10, { efSearch: ef, filter: f })).toEqual(want);
        }
      }
    });
  }
});

describe('HNSW32,SQ8', () => {
  it('needs training, then reaches recall@10 >= 0.9 and round-trips', () => {
    const index = createIndex('HNSW16,SQ8', set.dim, 'l2', { seed: 5, efConstruction: 64 });
    expect(index.kind).toBe('hnsw-sq8');
    expect(() => index.add(set.ids, set.base)).toThrow(expect.objectContaining({ code: 'NOT_TRAINED' }));
    index.train!(set.base);
    index.add(set.ids, set.base);
    const flat = exactIndex(set, 'l2');
    expect(recallVsFlat(index, flat, set, 10, { efSearch: 64 })).toBeGreaterThanOrEqual(0.9);
    const loaded = deserializeIndex(index.serialize());
    expect(searchAll(loaded, set, 10)).toEqual(searchAll(index, set, 10));
  });
});
