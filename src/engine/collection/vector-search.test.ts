import { describe, expect, it } from 'vitest';
import { createIndex } from '../indexes/factory';
import { recallAtK } from '../indexes/recall';
import { exactIndex, makeTestSet, searchAll } from '../indexes/test-helpers';
import type { SearchResult, VectorIndex } from '../indexes/vector-index';
import type { ChunkRecord, DocumentRecord } from '../storage/records';
import { MemoryStore } from '../storage/memory-store';
import { Bm25Index } from '../text/bm25-index';
import { loadSnapshot, saveSnapshot } from './snapshot';
import type { CollectionState } from './collection-state';
import { VectorIndexPlan } from './vector-index-plan';
import { searchVectors } from './vector-search';

const set = makeTestSet(3000, 32, 40, 9);
const HALF = set.ids.length / 2;

function doc(id: number): DocumentRecord {
  return {
    id,
    name: `d${id}.txt`,
    path: `d${id}.txt`,
    type: 'txt',
    size: 1,
    hash: String(id),
    lastModified: 0,
    addedAt: 0,
    status: 'ready',
    chunkCount: HALF,
    text: '',
    vectorSpace: 'test',
  };
}

/** Two documents, each holding half of the test vectors as chunk vectors. */
async function storeWithChunks(): Promise<MemoryStore> {
  const store = new MemoryStore();
  for (const docId of [1, 2]) {
    const chunks: ChunkRecord[] = [];
    for (let i = (docId - 1) * HALF; i < docId * HALF; i++) {
      chunks.push({
        id: set.ids[i],
        docId,
        index: i,
        text: `chunk ${i}`,
        start: 0,
        end: 0,
        headingPath: [],
        vector: set.base.slice(i * set.dim, (i + 1) * set.dim),
      });
    }
    await store.putChunkBatch(doc(docId), chunks);
  }
  return store;
}

async function searchEach(state: Pick<CollectionState, 'vectors' | 'store'>, kFactor: number): Promise<SearchResult[]> {
  const out: SearchResult[] = [];
  for (let q = 0; q < set.nq; q++) {
    out.push(await searchVectors(state, set.queries.subarray(q * set.dim, (q + 1) * set.dim), 10, { nprobe: 8, kFactor }));
  }
  return out;
}

describe('searchVectors', () => {
  it('re-ranks IVF-PQ candidates exactly with the vectors in the store', async () => {
    const store = await storeWithChunks();
    const plan = new VectorIndexPlan('IVF32,PQ8x6', set.dim, 'cosine');
    const { index } = await plan.build(store, set.ids.length, () => true);
    const truth = searchAll(exactIndex(set, 'cosine'), set, 10);
    const plain = recallAtK(truth, searchAll(index, set, 10, { nprobe: 8 }), 10);
    const reranked = recallAtK(truth, await searchEach({ vectors: index, store }, 10), 10);
    expect(reranked).toBeGreaterThanOrEqual(0.95);
    expect(reranked).toBeGreaterThan(plain + 0.15);
    expect((index as VectorIndex & { bytesPerVector: number }).bytesPerVector).toBeLessThanOrEqual(8 + 8);

    // Chunks gone from the store (deleted meanwhile) are never returned.
    await store.deleteDocument(2);
    for (const r of await searchEach({ vectors: index, store }, 10)) {
      expect(Array.from(r.ids).every((id) => id <= set.ids[HALF - 1])).toBe(true);
    }
  });

  it('other kinds answer from the index alone', async () => {
    const flat = exactIndex(set, 'l2');
    const store = new MemoryStore();
    const [first] = await searchEach({ vectors: flat, store }, 10);
    expect(first).toEqual(flat.search(set.queries.subarray(0, set.dim), 10));
  });
});

describe('IVF-PQ snapshots', () => {
  it('one saved with SQ8 refinement codes loads where codes-only is expected', async () => {
    const store = await storeWithChunks();
    const vectors = createIndex('IVF32,PQ8x6,Refine(SQ8)', set.dim, 'cosine', { seed: 1 });
    vectors.train!(set.base);
    vectors.add(set.ids, set.base);
    const lexical = new Bm25Index();
    for (const id of set.ids) lexical.add(id, `chunk ${id}`);
    const state = { store, vectors, lexical, version: 3 } as unknown as CollectionState;
    await saveSnapshot(state, 'space', 'IVF32,PQ8x6,Refine(SQ8)');
    const expected = { version: 3, vectorSpace: 'space', chunkCount: set.ids.length };
    const loaded = await loadSnapshot(state, { ...expected, description: 'IVF32,PQ8x6' });
    expect(loaded?.description).toBe('IVF32,PQ8x6,Refine(SQ8)');
    expect(loaded?.vectors.size).toBe(set.ids.length);
    const recall = recallAtK(searchAll(exactIndex(set, 'cosine'), set, 10), await searchEach({ vectors: loaded!.vectors, store }, 10), 10);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(await loadSnapshot(state, { ...expected, description: 'IVF64,PQ8x6' })).toBeUndefined();
  });
});
