import { rerankExact } from '../indexes/exact-rerank';
import type { SearchParams, SearchResult } from '../indexes/vector-index';
import type { CollectionState } from './collection-state';
import { DEFAULT_INDEX_SETTINGS } from './index-policy';

/**
 * Dense search over the collection's vector index. IVF-PQ keeps only codes
 * and ids in memory (m + 4 bytes a vector), so its top `k * kFactor`
 * candidates are re-scored exactly with their float vectors, read from the
 * store where every chunk keeps its own. Other kinds answer directly.
 */
export async function searchVectors(
  state: Pick<CollectionState, 'vectors' | 'store'>,
  query: Float32Array,
  k: number,
  params: SearchParams = {},
): Promise<SearchResult> {
  const index = state.vectors;
  if (index.kind !== 'ivf-pq') return index.search(query, k, params);
  const kFactor = Math.max(1, params.kFactor ?? DEFAULT_INDEX_SETTINGS.kFactor);
  const candidates = index.search(query, k * kFactor, params);
  const chunks = await state.store.getChunks(Array.from(candidates.ids));
  const { dim } = index;
  const ids = new Uint32Array(chunks.length);
  const vectors = new Float32Array(chunks.length * dim);
  let found = 0;
  chunks.forEach((chunk, i) => {
    // A chunk deleted since (or re-embedded elsewhere) cannot be scored; skip it.
    if (!chunk || chunk.vector.length !== dim) return;
    ids[found] = candidates.ids[i];
    vectors.set(chunk.vector, found * dim);
    found++;
  });
  return rerankExact(query, ids.subarray(0, found), vectors.subarray(0, found * dim), index.metric, k);
}
